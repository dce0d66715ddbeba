using NeuralStyle.Synthesis;

namespace NeuralStyle.Tests.Synthesis;

// What the setting buys is measured by the benchmark: glibc applies it to the main thread's heap,
// and test methods run on worker threads, whose large blocks glibc maps whatever the setting.
public sealed class GlibcHeapTests
{
    [Fact]
    public void GivenLinuxWithGlibc_WhenFreedMemoryIsKept_ThenGlibcAcceptsBothThresholds()
    {
        Assert.True(GlibcHeap.KeepFreedMemory());
    }
}
