using System.Runtime.InteropServices;
using NeuralStyle.Platform;

namespace NeuralStyle.Tests.Platform;

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

    // Earlier syntheses leave free space in the heap (gigabytes, kept), which serves any block that fits
    // whatever the setting: a first version of this test, eight blocks of 40 MiB, found them all there
    // in CI. So blocks of 48 MiB (over the 32 MiB ceiling, under a thread arena's 64 MiB heaps) are
    // taken until one is not served from free space, at most twice all of it: handed back, that one is
    // a fresh mapping; kept, the heap grows instead. Left untouched, the blocks cost address space.
    [Fact]
    public void GivenLargeBlocksAreHandedBack_WhenBlocksAreAllocatedBeyondTheHeapsFreeSpace_ThenTheFirstBeyondIsAFreshMapping()
    {
        const nuint Block = 48 << 20;
        Assert.True(GlibcHeap.KeepFreedMemory());
        Assert.True(GlibcHeap.HandBackLargeBlocks());

        var most = (int)(2 * MallInfo2().FreeBytes / Block) + 2;
        var blocks = new List<IntPtr>();
        try
        {
            while (blocks.Count < most && (blocks.Count == 0 || !Mapped(blocks[^1])))
            {
                blocks.Add(Malloc(Block));
                Assert.NotEqual(IntPtr.Zero, blocks[^1]);
            }

            Assert.True(Mapped(blocks[^1]), $"none of {blocks.Count} blocks of 48 MiB was a fresh mapping");
        }
        finally
        {
            blocks.ForEach(Free);
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

    private static bool Mapped(IntPtr block) => (Marshal.ReadInt64(block, -8) & IsMmapped) != 0;

    [DllImport("libc", EntryPoint = "mallinfo2", ExactSpelling = true)]
    private static extern MallocStatistics MallInfo2();

    [DllImport("libc", EntryPoint = "malloc", ExactSpelling = true)]
    private static extern IntPtr Malloc(nuint size);

    [DllImport("libc", EntryPoint = "free", ExactSpelling = true)]
    private static extern void Free(IntPtr block);

    // glibc's struct mallinfo2: ten size_t fields, the ninth (fordblks) the free space in all arenas.
    [StructLayout(LayoutKind.Explicit, Size = 80)]
    private readonly struct MallocStatistics
    {
        [FieldOffset(64)]
        public readonly ulong FreeBytes;
    }
}
