using NeuralStyle.Images;
using NeuralStyle.Networks;
using NeuralStyle.Tests.FastPainters;

namespace NeuralStyle.Tests.Cli;

[Collection(TinyPainterCollection.Name)]
public sealed class FastPaintJobTests(TinyPainter tiny)
{
    private const int Invalid = 1;

    [Theory]
    [InlineData("onnxruntime")]
    [InlineData("torchsharp")]
    public void GivenAPainter_WhenAPhotoIsPaintedWithIt_ThenThePictureIsWrittenAtTheSizeAsked(string engine)
    {
        using var folder = new TempFolder();

        var (exitCode, errors) = CliProcess.Run([TestImages.PhotoPath, "--painter", tiny.File, "--engine", engine, "-o", folder.File("out.png"), "--size", "128"]);

        Assert.True(exitCode == 0, string.Join('\n', errors));
        Assert.StartsWith($"neural-style: wrote {folder.File("out.png")} (128×96, painter tiny.onnx, ", errors[^1], StringComparison.Ordinal);
        Assert.Equal(128, ImageFile.Load(folder.File("out.png")).Width);
    }

    public static TheoryData<string, string> NotPainters => new()
    {
        { BuiltInResNet18.ModelPath, "not a painter: a painter takes one picture [N, 3, H, W] and gives one; this gives [1, 512, 1, 1]" },
        { "truncated", "not a readable ONNX model (" },
    };

    [Theory]
    [MemberData(nameof(NotPainters))]
    public void GivenAnOnnxFileThatIsNotAPainter_WhenGivenAsThePainter_ThenOneLineSaysSoAndNothingIsWritten(string file, string expected)
    {
        using var folder = new TempFolder();
        var painter = file == "truncated" ? folder.TruncatedCopy(tiny.File, "truncated.onnx") : file;

        var (exitCode, errors) = CliProcess.Run([TestImages.PhotoPath, "--painter", painter, "-o", folder.File("out.png"), "--size", "64"]);

        Assert.Equal(Invalid, exitCode);
        Assert.StartsWith($"neural-style: {painter}: {expected}", Assert.Single(errors), StringComparison.Ordinal);
        Assert.DoesNotContain("out.png", folder.Files());
    }

    [Fact]
    public void GivenAOneStylePainter_WhenABlendOfTwoStylesIsAsked_ThenOneLineNamesTheOption()
    {
        using var folder = new TempFolder();

        var (exitCode, errors) = CliProcess.Run([TestImages.PhotoPath, "--painter", tiny.File, "--style-blend", "1,1", "-o", folder.File("out.png"), "--size", "64"]);

        Assert.Equal(Invalid, exitCode);
        Assert.Equal("neural-style: --style-blend gives 2 shares; this painter holds 1 style", Assert.Single(errors));
        Assert.Empty(folder.Files());
    }
}
