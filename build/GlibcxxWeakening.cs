// Compiled twice: by MSBuild's RoslynCodeTaskFactory (as the WeakenGlibcxxNeed task that every
// project's build runs on its own output copy of libLibTorchSharp.so) and by the test project, which
// defines NEURALSTYLE_TESTS to leave out the MSBuild task and test the ELF logic alone.
using System;
using System.Collections.Generic;
using System.IO;
using System.Text;

namespace NeuralStyle.Build;

/// <summary>What <see cref="ElfVersionNeeds.MarkWeak"/> did to a file.</summary>
public enum WeakenOutcome
{
    /// <summary>The version need was strong and is now weak.</summary>
    Weakened,

    /// <summary>The version need was already weak; the file was not written.</summary>
    AlreadyWeak,

    /// <summary>The file needs no such version; the file was not written.</summary>
    NotNeeded,
}

/// <summary>
/// Marks one symbol-version requirement of an ELF64 little-endian shared library as weak
/// (VER_FLG_WEAK in <c>vna_flags</c> of its <c>.gnu.version_r</c> entry), so that the dynamic
/// loader accepts a library in which that version is missing.
/// </summary>
/// <remarks>
/// TorchSharp 0.107's libLibTorchSharp.so was linked against GCC 13's libstdc++ and asks for
/// GLIBCXX_3.4.32, which Debian 12's libstdc++ (GCC 12) lacks. The only symbol of that version is
/// std::ios_base_library_init(), which no relocation uses, so a weak requirement is safe.
/// </remarks>
public static class ElfVersionNeeds
{
    private const uint ShtGnuVerneed = 0x6ffffffe;
    private const ushort VerFlgWeak = 0x2;

    /// <summary>The version the TorchSharp 0.107 native library asks for that Debian 12 lacks.</summary>
    public const string MissingGlibcxx = "GLIBCXX_3.4.32";

    /// <summary>Where Linux distributions put the system libstdc++.</summary>
    public static readonly string[] SystemLibstdcxxPaths =
    {
        "/usr/lib/x86_64-linux-gnu/libstdc++.so.6",
        "/lib/x86_64-linux-gnu/libstdc++.so.6",
        "/usr/lib64/libstdc++.so.6",
        "/usr/lib/libstdc++.so.6",
    };

    /// <summary>True when the first libstdc++ found among <paramref name="candidates"/> defines <paramref name="version"/>.</summary>
    public static bool LibraryDefinesVersion(IEnumerable<string> candidates, string version)
    {
        foreach (var path in candidates)
        {
            if (File.Exists(path))
            {
                return IndexOf(File.ReadAllBytes(path), Encoding.ASCII.GetBytes(version + "\0")) >= 0;
            }
        }

        return false;
    }

    /// <summary>Whether the requirement of <paramref name="version"/> in <paramref name="path"/> is weak; null when not required.</summary>
    public static bool? IsWeak(string path, string version)
    {
        var bytes = File.ReadAllBytes(path);
        var offset = FindVernaux(bytes, version, path);
        return offset < 0 ? null : (BitConverter.ToUInt16(bytes, offset + 4) & VerFlgWeak) != 0;
    }

    /// <summary>Sets VER_FLG_WEAK on the requirement of <paramref name="version"/> in <paramref name="path"/>, in place.</summary>
    public static WeakenOutcome MarkWeak(string path, string version)
    {
        var bytes = File.ReadAllBytes(path);
        var offset = FindVernaux(bytes, version, path);
        if (offset < 0)
        {
            return WeakenOutcome.NotNeeded;
        }

        var flags = BitConverter.ToUInt16(bytes, offset + 4);
        if ((flags & VerFlgWeak) != 0)
        {
            return WeakenOutcome.AlreadyWeak;
        }

        using (var stream = new FileStream(path, FileMode.Open, FileAccess.Write))
        {
            stream.Position = offset + 4;
            var patched = BitConverter.GetBytes((ushort)(flags | VerFlgWeak));
            stream.Write(patched, 0, patched.Length);
        }

        return WeakenOutcome.Weakened;
    }

    // Returns the file offset of the Elf64_Vernaux entry naming the version, or -1.
    private static int FindVernaux(byte[] elf, string version, string path)
    {
        if (elf.Length < 64 || elf[0] != 0x7f || elf[1] != (byte)'E' || elf[2] != (byte)'L' || elf[3] != (byte)'F')
        {
            throw new InvalidDataException($"{path}: not an ELF file");
        }

        if (elf[4] != 2 || elf[5] != 1)
        {
            throw new InvalidDataException($"{path}: not a 64-bit little-endian ELF file");
        }

        var sectionTable = checked((int)BitConverter.ToUInt64(elf, 0x28));
        var sectionSize = BitConverter.ToUInt16(elf, 0x3A);
        var sectionCount = BitConverter.ToUInt16(elf, 0x3C);
        for (var i = 0; i < sectionCount; i++)
        {
            var header = sectionTable + (i * sectionSize);
            if (BitConverter.ToUInt32(elf, header + 4) != ShtGnuVerneed)
            {
                continue;
            }

            var strings = sectionTable + (checked((int)BitConverter.ToUInt32(elf, header + 0x28)) * sectionSize);
            var stringsOffset = checked((int)BitConverter.ToUInt64(elf, strings + 0x18));
            var need = checked((int)BitConverter.ToUInt64(elf, header + 0x18));
            var needCount = BitConverter.ToUInt32(elf, header + 0x2C);
            for (var n = 0; n < needCount; n++)
            {
                var auxCount = BitConverter.ToUInt16(elf, need + 2);
                var aux = need + checked((int)BitConverter.ToUInt32(elf, need + 8));
                for (var a = 0; a < auxCount; a++)
                {
                    var name = ReadCString(elf, stringsOffset + checked((int)BitConverter.ToUInt32(elf, aux + 8)));
                    if (name == version)
                    {
                        return aux;
                    }

                    aux += checked((int)BitConverter.ToUInt32(elf, aux + 12));
                }

                need += checked((int)BitConverter.ToUInt32(elf, need + 12));
            }
        }

        return -1;
    }

    private static string ReadCString(byte[] bytes, int start)
    {
        var end = Array.IndexOf(bytes, (byte)0, start);
        return Encoding.ASCII.GetString(bytes, start, end - start);
    }

    private static int IndexOf(byte[] haystack, byte[] needle)
    {
        for (var i = 0; i <= haystack.Length - needle.Length; i++)
        {
            var j = 0;
            while (j < needle.Length && haystack[i + j] == needle[j])
            {
                j++;
            }

            if (j == needle.Length)
            {
                return i;
            }
        }

        return -1;
    }
}

#if !NEURALSTYLE_TESTS
/// <summary>MSBuild task: weakens the GLIBCXX_3.4.32 requirement of the given output files when the system libstdc++ lacks it.</summary>
public sealed class WeakenGlibcxxNeed : Microsoft.Build.Utilities.Task
{
    /// <summary>Output copies of libLibTorchSharp.so (never the NuGet cache's).</summary>
    [Microsoft.Build.Framework.Required]
    public Microsoft.Build.Framework.ITaskItem[] Files { get; set; } = Array.Empty<Microsoft.Build.Framework.ITaskItem>();

    /// <inheritdoc />
    public override bool Execute()
    {
        if (ElfVersionNeeds.LibraryDefinesVersion(ElfVersionNeeds.SystemLibstdcxxPaths, ElfVersionNeeds.MissingGlibcxx))
        {
            return true;
        }

        foreach (var file in Files)
        {
            var outcome = ElfVersionNeeds.MarkWeak(file.ItemSpec, ElfVersionNeeds.MissingGlibcxx);
            Log.LogMessage(Microsoft.Build.Framework.MessageImportance.Normal, $"{file.ItemSpec}: {ElfVersionNeeds.MissingGlibcxx} {outcome}");
        }

        return true;
    }
}
#endif
