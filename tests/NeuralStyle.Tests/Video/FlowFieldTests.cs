using NeuralStyle.Video;

namespace NeuralStyle.Tests.Video;

public sealed class FlowFieldTests
{
    [Fact]
    public void GivenAFlow_WhenWrittenAndReadBack_ThenItIsTheSameAndLaidOutAsMiddleburyLaysItOut()
    {
        using var folder = new TempFolder();
        var flow = new MovingClip(40, 30).Backward(1);

        flow.Write(folder.File("backward_2_1.flo"));
        var bytes = File.ReadAllBytes(folder.File("backward_2_1.flo"));
        var read = FlowField.Read(folder.File("backward_2_1.flo"));

        Assert.Equal("PIEH", System.Text.Encoding.ASCII.GetString(bytes, 0, 4));
        Assert.Equal((40, 30), (BitConverter.ToInt32(bytes, 4), BitConverter.ToInt32(bytes, 8)));
        Assert.Equal(12 + (40 * 30 * 8), bytes.Length);
        Assert.Equal((flow.U(0, 0), flow.V(0, 0)), (BitConverter.ToSingle(bytes, 12), BitConverter.ToSingle(bytes, 16)));
        Assert.Equal(flow.Vectors, read.Vectors);
        Assert.Equal(["backward_2_1.flo"], folder.Files());
    }

    [Fact]
    public void GivenACutShortOrForeignFile_WhenRead_ThenOneLineSaysWhy()
    {
        using var folder = new TempFolder();
        new MovingClip(40, 30).Backward(1).Write(folder.File("whole.flo"));
        var cut = folder.TruncatedCopy(folder.File("whole.flo"), "cut.flo");
        File.WriteAllText(folder.File("text.flo"), "not a flow file at all");

        var short_ = Assert.Throws<StyleTransferException>(() => FlowField.Read(cut));
        var foreign = Assert.Throws<StyleTransferException>(() => FlowField.Read(folder.File("text.flo")));

        Assert.Equal($"{cut}: a 40×30 flow takes 9612 bytes, the file has 4806", short_.Message);
        Assert.Equal($"{folder.File("text.flo")}: not a Middlebury .flo file (it does not start with PIEH)", foreign.Message);
    }
}
