using Microsoft.ML.OnnxRuntime;
using NeuralStyle.FastPainters;
using NeuralStyle.Images;
using NeuralStyle.Networks.Onnx;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.FastPainters;

public sealed class PainterOnnxWriterTests
{
    // Two styles whose normalisations scale and shift differently, as training would leave them.
    private static string TwoStylePainter(TempFolder folder)
    {
        manual_seed(3);
        using var network = new TransformerNetwork(new TransformerShape([4, 8, 8], 1, 2));
        using (no_grad())
        {
            for (var i = 0; i < network.Layers.Count; i++)
            {
                if (network.Norm(i) is { } norm)
                {
                    norm.Scale.copy_(rand(2, norm.Scale.shape[1]).mul(tensor(2f)));
                    norm.Shift.copy_(randn(2, norm.Shift.shape[1]));
                }
            }
        }

        var file = folder.File("two.onnx");
        PainterOnnxWriter.Write(file, network, new PainterMetadata(["a.jpg", "b.jpg"], network.Shape, "resnet18", "{}", PainterMetadata.ToolVersion).Entries());
        return file;
    }

    [Fact]
    public void GivenATwoStylePainter_WhenOpenedByOnnxRuntime_ThenItIsOpset17WithAnyHeightAndWidthAndAStyleInput()
    {
        using var folder = new TempFolder();
        using var session = new InferenceSession(TwoStylePainter(folder));

        Assert.Equal([-1, 3, -1, -1], session.InputMetadata["photo"].Dimensions);
        Assert.Equal([2], session.InputMetadata["style"].Dimensions);
        Assert.Equal([-1, 3, -1, -1], session.OutputMetadata["picture"].Dimensions);
        Assert.Equal("2", session.ModelMetadata.CustomMetadataMap["neural-style.styles"]);
        Assert.Equal("a.jpg\nb.jpg", session.ModelMetadata.CustomMetadataMap["neural-style.paintings"]);
    }

    [Fact]
    public void GivenATwoStylePainter_WhenBlendsArePainted_ThenBothEnginesAgreeAndAHalfBlendIsNeitherStyle()
    {
        using var folder = new TempFolder();
        var file = TwoStylePainter(folder);
        using var onnx = FastPainter.Load(file, PainterEngine.OnnxRuntime);
        using var torch = FastPainter.Load(file, PainterEngine.TorchSharp);
        var photo = ImageFile.Resize(TestImages.Photo, 64, 48);

        var pictures = new[] { new[] { 1.0, 0 }, [0, 1.0], [0.5, 0.5] }.Select(blend => (Onnx: onnx.Paint(photo, new(blend)), Torch: torch.Paint(photo, new(blend)))).ToList();

        Assert.Equal(2, onnx.Styles);
        Assert.All(pictures, p => Assert.True(p.Onnx.Pixels.Zip(p.Torch.Pixels, (a, b) => Math.Abs(a - b)).Max() <= 1));
        Assert.True(TestImages.MeanAbsoluteDifference(pictures[0].Onnx, pictures[1].Onnx) > 5, "the two styles paint alike");
        Assert.True(TestImages.MeanAbsoluteDifference(pictures[2].Onnx, pictures[0].Onnx) > 1 && TestImages.MeanAbsoluteDifference(pictures[2].Onnx, pictures[1].Onnx) > 1, "the half blend is one of the styles");
    }

    [Fact]
    public void GivenAPainterWrittenBeforeAntiAliasing_WhenBothEnginesPaint_ThenTheyAgreeAndItsResolutionChangesAreNotBlurred()
    {
        using var folder = new TempFolder();
        manual_seed(4);
        using var network = new TransformerNetwork(new TransformerShape([4, 8, 8], 1, 1, AntiAliased: false));
        var file = folder.File("aliased.onnx");
        var entries = new PainterMetadata(["a.jpg"], network.Shape, "resnet18", "{}", "0.9").Entries().Where(e => !e.Key.EndsWith("anti-aliased", StringComparison.Ordinal)).ToDictionary();
        PainterOnnxWriter.Write(file, network, entries);
        using var onnx = FastPainter.Load(file, PainterEngine.OnnxRuntime);
        using var torch = FastPainter.Load(file, PainterEngine.TorchSharp);
        var photo = ImageFile.Resize(TestImages.Photo, 64, 48);

        var (a, b) = (onnx.Paint(photo, new([1.0])), torch.Paint(photo, new([1.0])));

        Assert.False(torch.Metadata!.Shape.AntiAliased);
        Assert.DoesNotContain(OnnxGraph.Read(file).Nodes, n => n.OpType == "Conv" && n.Inputs.Any(i => i.EndsWith(".blur", StringComparison.Ordinal)));
        Assert.True(a.Pixels.Zip(b.Pixels, (x, y) => Math.Abs(x - y)).Max() <= 1);
    }

    [Fact]
    public void GivenAPainterFile_WhenReadByTheToolsOwnOnnxReader_ThenItsWeightsAreFloatInitializersAndItsIntegersAreConstants()
    {
        using var folder = new TempFolder();

        var graph = OnnxGraph.Read(TwoStylePainter(folder));

        Assert.Contains("in.weight", graph.Initializers.Keys);
        Assert.Equal([2, 4], graph.Initializers["in.scale"].Shape);
        Assert.Contains(graph.Nodes, n => n.OpType == "Constant");
        Assert.DoesNotContain(graph.Nodes, n => n.OpType == "ConvTranspose");
    }
}
