using System.Reflection;
using System.Runtime.InteropServices;
using NeuralStyle.Build;

namespace NeuralStyle.Tests.Build;

public sealed class GlibcxxWeakeningTests
{
    private static readonly string OutputLibrary = Path.Combine(AppContext.BaseDirectory, "libLibTorchSharp.so");

    private static readonly string CachedLibrary = Path.Combine(
        typeof(GlibcxxWeakeningTests).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == "NuGetPackageRoot").Value!,
        "torchsharp", "0.107.0", "runtimes", "linux-x64", "native", "libLibTorchSharp.so");

    // Asked of the dynamic loader itself, not of the byte search the build uses: the only symbol of
    // GLIBCXX_3.4.32 is std::ios_base_library_init(), and the loaded libstdc++ has it or not.
    private static bool LoadedLibstdcxxHasGlibcxx32()
    {
        var libstdcxx = NativeLibrary.Load("libstdc++.so.6");
        return VersionedSymbol(libstdcxx, "_ZSt21ios_base_library_initv", ElfVersionNeeds.MissingGlibcxx) != IntPtr.Zero;
    }

    [Fact]
    public void GivenTheBuild_WhenTheSystemLibstdcxxLacksGlibcxx3_4_32_ThenTheOutputCopyNeedsItWeaklyAndTheNuGetCacheIsUntouched()
    {
        Assert.True(File.Exists(OutputLibrary), OutputLibrary);
        Assert.Equal(!LoadedLibstdcxxHasGlibcxx32(), ElfVersionNeeds.IsWeak(OutputLibrary, ElfVersionNeeds.MissingGlibcxx));
        Assert.Equal(false, ElfVersionNeeds.IsWeak(CachedLibrary, ElfVersionNeeds.MissingGlibcxx));
    }

    [Fact]
    public void GivenTheBuild_WhenTorchSharpIsUsed_ThenItsNativeLibraryLoadsAndComputes()
    {
        using var sum = TorchSharp.torch.ones(3, 4).sum();

        Assert.Equal(12f, sum.item<float>());
    }

    [Fact]
    public void GivenAStrongRequirement_WhenMarkedWeak_ThenExactlyItsFlagByteChangesAndASecondPassChangesNothing()
    {
        using var folder = new TempFolder();
        var copy = folder.File("lib.so");
        File.Copy(CachedLibrary, copy);
        var before = File.ReadAllBytes(copy);

        var first = ElfVersionNeeds.MarkWeak(copy, ElfVersionNeeds.MissingGlibcxx);
        var afterFirst = File.ReadAllBytes(copy);
        var second = ElfVersionNeeds.MarkWeak(copy, ElfVersionNeeds.MissingGlibcxx);

        Assert.Equal(WeakenOutcome.Weakened, first);
        Assert.Equal(WeakenOutcome.AlreadyWeak, second);
        Assert.Equal(true, ElfVersionNeeds.IsWeak(copy, ElfVersionNeeds.MissingGlibcxx));
        Assert.Single(Enumerable.Range(0, before.Length), i => before[i] != afterFirst[i]);
        Assert.Equal(afterFirst, File.ReadAllBytes(copy));
        Assert.Equal(false, ElfVersionNeeds.IsWeak(copy, "GLIBCXX_3.4.30"));
    }

    [Fact]
    public void GivenAVersionTheLibraryDoesNotNeed_WhenMarkedWeak_ThenTheFileIsLeftAlone()
    {
        using var folder = new TempFolder();
        var copy = folder.File("lib.so");
        File.Copy(CachedLibrary, copy);

        Assert.Equal(WeakenOutcome.NotNeeded, ElfVersionNeeds.MarkWeak(copy, "GLIBCXX_9.9.99"));
        Assert.Null(ElfVersionNeeds.IsWeak(copy, "GLIBCXX_9.9.99"));
        Assert.Equal(File.ReadAllBytes(CachedLibrary), File.ReadAllBytes(copy));
    }

    [Fact]
    public void GivenAFileThatIsNotElf_WhenMarkedWeak_ThenItIsRejected()
    {
        using var folder = new TempFolder();
        var text = folder.File("not.so");
        File.WriteAllText(text, new string('x', 100));

        Assert.Throws<InvalidDataException>(() => ElfVersionNeeds.MarkWeak(text, ElfVersionNeeds.MissingGlibcxx));
    }

    [Fact]
    public void GivenLibstdcxxCandidates_WhenOneDefinesTheVersion_ThenTheFirstExistingOneDecides()
    {
        using var folder = new TempFolder();
        var newer = folder.File("newer.so.6");
        File.WriteAllBytes(newer, [.. "GLIBCXX_3.4.31\0GLIBCXX_3.4.32\0"u8]);
        var older = folder.File("older.so.6");
        File.WriteAllBytes(older, [.. "GLIBCXX_3.4.30\0"u8]);

        Assert.True(ElfVersionNeeds.LibraryDefinesVersion([folder.File("missing"), newer, older], "GLIBCXX_3.4.32"));
        Assert.False(ElfVersionNeeds.LibraryDefinesVersion([older, newer], "GLIBCXX_3.4.32"));
        Assert.False(ElfVersionNeeds.LibraryDefinesVersion([older], "GLIBCXX_3.4.3"));
    }

    [DllImport("libc", EntryPoint = "dlvsym", ExactSpelling = true)]
    private static extern IntPtr VersionedSymbol(IntPtr library, [MarshalAs(UnmanagedType.LPUTF8Str)] string symbol, [MarshalAs(UnmanagedType.LPUTF8Str)] string version);
}
