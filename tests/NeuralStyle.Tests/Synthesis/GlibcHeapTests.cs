using System.Runtime.InteropServices;
using NeuralStyle.Synthesis;

namespace NeuralStyle.Tests.Synthesis;

// What the setting buys in time is measured by the benchmark. What it does can be seen on one block:
// glibc serves a request over its mmap threshold (which it never raises above 32 MiB by itself) with
// a fresh mapping, and marks that in the chunk's size field, the word before the block (bit 1,
// IS_MMAPPED). Test methods run on worker threads, whose arenas can hold blocks up to 64 MiB, so a
// 40 MiB block tells the threshold apart.
public sealed class GlibcHeapTests
{
    private const long IsMmapped = 0x2;

    [Fact]
    public void GivenFreedMemoryIsKept_WhenABlockOverGlibcsOwnMmapCeilingIsAllocated_ThenItComesFromTheHeapNotAFreshMapping()
    {
        Assert.True(GlibcHeap.KeepFreedMemory());

        var block = Malloc(40 << 20);
        try
        {
            Assert.NotEqual(IntPtr.Zero, block);
            Assert.Equal(0, Marshal.ReadInt64(block, -8) & IsMmapped);
        }
        finally
        {
            Free(block);
        }
    }

    // Free space already in this thread's arena may serve a block or two whatever the setting; eight
    // 40 MiB blocks are more than it holds, so in a heap that hands blocks back some are fresh mappings.
    [Fact]
    public void GivenLargeBlocksAreHandedBack_WhenBlocksOverTheMmapCeilingAreAllocated_ThenTheyAreFreshMappings()
    {
        Assert.True(GlibcHeap.KeepFreedMemory());
        Assert.True(GlibcHeap.HandBackLargeBlocks());

        var blocks = Enumerable.Range(0, 8).Select(_ => Malloc(40 << 20)).ToArray();
        try
        {
            Assert.DoesNotContain(IntPtr.Zero, blocks);
            Assert.Contains(blocks, block => (Marshal.ReadInt64(block, -8) & IsMmapped) != 0);
        }
        finally
        {
            foreach (var block in blocks)
            {
                Free(block);
            }

            GlibcHeap.KeepFreedMemory();
        }
    }

    [Fact]
    public void GivenMemoryFreedInTheHeap_WhenReleased_ThenGlibcHandsSomeBack()
    {
        // 1 MiB blocks stay in this thread's arena when freed; touched, their pages are resident.
        var blocks = Enumerable.Range(0, 64).Select(_ => Malloc(1 << 20)).ToArray();
        foreach (var block in blocks)
        {
            for (var page = 0; page < 1 << 20; page += 4096)
            {
                Marshal.WriteByte(block, page, 1);
            }
        }

        foreach (var block in blocks.Reverse())
        {
            Free(block);
        }

        Assert.True(GlibcHeap.ReleaseFreedMemory());
    }

    [DllImport("libc", EntryPoint = "malloc", ExactSpelling = true)]
    private static extern IntPtr Malloc(nuint size);

    [DllImport("libc", EntryPoint = "free", ExactSpelling = true)]
    private static extern void Free(IntPtr block);
}
