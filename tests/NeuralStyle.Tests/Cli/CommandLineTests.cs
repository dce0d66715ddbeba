using System.Diagnostics;
using System.Globalization;
using System.Text.RegularExpressions;
using NeuralStyle.Images;

namespace NeuralStyle.Tests.Cli;

public sealed partial class CommandLineTests
{
    private static readonly string Content = SharedData.Image("tubingen.jpg");
    private static readonly string Style = SharedData.Image("starry_night.jpg");

    [Fact]
    public void GivenTwoImagesAndWeights_WhenRunSmall_ThenTheLossFallsAndThePictureHasTheSizeAndDiffersFromBothInputs()
    {
        using var folder = new TempFolder();
        var output = folder.File("out.png");

        var (exitCode, errors) = CliProcess.Run([Content, Style, "-o", output, "--size", "64", "--iterations", "20", "--seed", "3", "--save-every", "10", "--weights", SharedData.TestWeights]);

        Assert.True(exitCode == 0, string.Join('\n', errors));
        var totals = errors.Select(l => TotalLoss().Match(l)).Where(m => m.Success).Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture)).ToList();
        Assert.True(totals.Count >= 3, string.Join('\n', errors));
        Assert.True(totals[^1] < totals[0] * 0.5, $"loss went from {totals[0]} to {totals[^1]}");
        var result = ImageFile.Load(output);
        Assert.Equal((64, 48), (result.Width, result.Height));
        Assert.True(MeanAbsoluteDifference(result, ImageFile.Resize(ImageFile.Load(Content), 64, 48)) > 10);
        Assert.True(MeanAbsoluteDifference(result, ImageFile.Resize(ImageFile.Load(Style), 64, 48)) > 10);
        Assert.Equal(["out.png", "out_10.png"], folder.Files().Order(StringComparer.Ordinal));
    }

    public static TheoryData<string[], string> BadInputs => new()
    {
        { [SharedData.Image("missing.jpg"), Style, "--weights", SharedData.TestWeights], "missing.jpg: no such image file" },
        { [Content, SharedData.Reference("gatys-reference.json"), "--weights", SharedData.TestWeights], "gatys-reference.json: not an image that can be decoded" },
        { [Content, Style, "--weights", Content], "tubingen.jpg: not a weight file" },
        { [Content, Style, "--weights", SharedData.Reference("gatys-reference.json")], "gatys-reference.json: not a weight file" },
        { [Content, Style, "--weights", SharedData.PartialCaffeWeights], "holds VGG-19 only up to conv3_4, so layer conv4_2 cannot be computed" },
        { [Content, Style, "--weights", SharedData.TestWeights, "--size", "0"], "--size must be at least 16" },
        { [Content, Style, "--weights", SharedData.TestWeights, "--iterations", "-5"], "--iterations must be at least 1" },
        { [Content, Style, "--weights", SharedData.TestWeights, "--style-layers", "conv1_1,conv9_9"], "vgg19 has no layer 'conv9_9'" },
        { [Content, Style, "--weights", SharedData.TestWeights, "--style-layer-weights", "1,2"], "--style-layer-weights has 2 values for 5 style layers" },
        { [Content, Style, "--weights", SharedData.TestWeights, "--content-weight", "-1"], "--content-weight must be a finite number ≥ 0" },
        { [Content, Style, "--weights", SharedData.TestWeights, "--device", "cuda"], "--device cuda: TorchSharp finds no CUDA GPU" },
        { [Content, Style, "--weights", SharedData.TestWeights, "--device", "tpu"], "--device must be cpu or cuda" },
        { [Content, Style, "--weights", SharedData.TestWeights, "--init", "nothing.png"], "--init must be noise, content, style or an image file" },
        { [Content, Style, "--weights", SharedData.TestWeights, "--optimizer", "sgd"], "Argument 'sgd' not recognized" },
        { [Content, Style, "--weights", SharedData.TestWeights, "--network", "resnet18"], "--weights is for --network vgg19" },
        { [Content, Style, "--network", "resnet18", "--scales", "0"], "--scales must be at least 1 (got 0)" },
        { [Content, Style, "--network", "resnet18", "--lbfgs-history", "0"], "--lbfgs-history must be at least 1 (got 0)" },
        { [Content, Style, "--network", "resnet18", "--learning-rate-end", "2"], "--learning-rate-end must be in [0, 1] (got 2)" },
        { [Content, Style, "--network", "resnet18", "--size", "200000"], "--size 200000 (200000x150000) needs about" },
        { [Content, Style, "--network", "resnet18", "--style-layers", "conv1_1"], "resnet18 has no layer 'conv1_1' (layers: conv1, maxpool, layer1.0" },
    };

    [Theory]
    [MemberData(nameof(BadInputs))]
    public void GivenABadInput_WhenRun_ThenOneClearLineAndANonZeroExitAndNoOutputFile(string[] args, string expected)
    {
        using var folder = new TempFolder();

        string[] small = [.. args.Contains("--size") ? [] : new[] { "--size", "32" }, .. args.Contains("--iterations") ? [] : new[] { "--iterations", "2" }];

        var (exitCode, errors) = CliProcess.Run([.. args, .. small, "-o", folder.File("out.png")]);

        Assert.True(exitCode != 0 && errors.Count == 1, $"exit code {exitCode}: " + string.Join('\n', errors));
        var line = errors[0];
        Assert.StartsWith("neural-style: ", line, StringComparison.Ordinal);
        Assert.Contains(expected, line, StringComparison.Ordinal);
        Assert.Empty(folder.Files());
    }

    [Theory]
    [InlineData("out.gif", "must end in .png, .jpg or .jpeg")]
    [InlineData("no-such-folder/out.png", "does not exist")]
    public void GivenAnOutputThatCannotBeWritten_WhenRun_ThenItIsRefusedBeforeAnyWork(string output, string expected)
    {
        using var folder = new TempFolder();

        var (exitCode, errors) = CliProcess.Run([Content, Style, "-o", folder.File(output), "--weights", SharedData.TestWeights]);

        Assert.Equal(1, exitCode);
        Assert.Contains(expected, Assert.Single(errors), StringComparison.Ordinal);
        Assert.Empty(folder.Files());
    }

    [Fact]
    public void GivenAnExistingOutput_WhenARunFails_ThenTheOldPictureIsUntouched()
    {
        using var folder = new TempFolder();
        var output = folder.File("out.png");
        File.WriteAllBytes(output, [1, 2, 3]);

        var (exitCode, _) = CliProcess.Run([Content, Style, "-o", output, "--weights", SharedData.Reference("gatys-reference.json")]);

        Assert.Equal(1, exitCode);
        Assert.Equal([1, 2, 3], File.ReadAllBytes(output));
    }

    [Fact]
    public void GivenVgg19WithoutWeightsAnywhere_WhenRun_ThenTheMessageSaysWhereToPutThem()
    {
        using var folder = new TempFolder();

        var (exitCode, errors) = CliProcess.Run([Content, Style, "-o", folder.File("out.png"), "--network", "vgg19"], new Dictionary<string, string> { ["TORCH_HOME"] = folder.File("torch") });

        Assert.Equal(1, exitCode);
        var line = Assert.Single(errors);
        Assert.Contains("--weights", line, StringComparison.Ordinal);
        Assert.Contains(Path.Combine(folder.File("torch"), "hub", "checkpoints"), line, StringComparison.Ordinal);
        Assert.Contains("vgg19-dcbb9e9d.pth", line, StringComparison.Ordinal);
    }

    [Fact]
    public void GivenWeightsInThePyTorchCache_WhenRunWithoutWeights_ThenTheyAreFoundThere()
    {
        using var folder = new TempFolder();
        var checkpoints = Directory.CreateDirectory(Path.Combine(folder.Path, "torch", "hub", "checkpoints")).FullName;
        File.Copy(SharedData.Reference(Path.Combine("pth", "vgg19-partial-legacy.pth")), Path.Combine(checkpoints, "vgg19-dcbb9e9d.pth"));

        var (exitCode, errors) = CliProcess.Run(
            [Content, Style, "-o", folder.File("out.png"), "--size", "32", "--iterations", "3", "--content-layers", "conv2_1", "--style-layers", "conv1_1"],
            new Dictionary<string, string> { ["TORCH_HOME"] = Path.Combine(folder.Path, "torch") });

        Assert.True(exitCode == 0, string.Join('\n', errors));
        Assert.True(File.Exists(folder.File("out.png")));
    }

    [Fact]
    public void GivenALongRun_WhenInterrupted_ThenItStopsSavesTheImageSoFarAndExits130()
    {
        using var folder = new TempFolder();
        var output = folder.File("out.png");
        using var cli = CliProcess.Start([Content, Style, "-o", output, "--size", "48", "--iterations", "100000", "--weights", SharedData.PartialCaffeWeights, "--content-layers", "conv3_2", "--style-layers", "conv1_1,conv2_1"]);
        var clock = Stopwatch.StartNew();
        while (!cli.ErrorLines.Any(l => l.StartsWith("iteration 10/", StringComparison.Ordinal)) && clock.Elapsed < TimeSpan.FromMinutes(2))
        {
            Thread.Sleep(50);
        }

        Process.Start("kill", ["-INT", cli.Id.ToString(CultureInfo.InvariantCulture)]).WaitForExit();
        var exitCode = cli.WaitForExit(TimeSpan.FromMinutes(1));

        Assert.Equal(130, exitCode);
        Assert.Contains(cli.ErrorLines, l => l.Contains("stopped after", StringComparison.Ordinal));
        Assert.Equal(48, ImageFile.Load(output).Width);
        Assert.Equal(["out.png"], folder.Files());
    }

    [Fact]
    public void GivenNoWeightsAnywhere_WhenRunOnTheRepositorysSamples_ThenTheBuiltInNetworkPaintsThem()
    {
        using var folder = new TempFolder();
        var samples = Path.Combine(SharedData.RepositoryRoot, "samples");

        var (exitCode, errors) = CliProcess.Run(
            [Path.Combine(samples, "chelsea.png"), Path.Combine(samples, "ihc.png"), "-o", folder.File("cat.jpg"), "--size", "48", "--iterations", "4"],
            new Dictionary<string, string> { ["TORCH_HOME"] = folder.File("torch") });

        Assert.True(exitCode == 0, $"exit code {exitCode}: " + string.Join('\n', errors));
        Assert.Contains(errors, l => l.Contains("resnet18", StringComparison.Ordinal));
        var result = ImageFile.Load(folder.File("cat.jpg"));
        Assert.Equal((48, 32), (result.Width, result.Height));
    }

    [Fact]
    public void GivenBfloat16_WhenRun_ThenTheBuiltInNetworkPaintsAsWell()
    {
        using var folder = new TempFolder();

        var (exitCode, errors) = CliProcess.Run([Content, Style, "-o", folder.File("out.png"), "--network", "resnet18", "--size", "48", "--iterations", "4", "--precision", "bfloat16"]);

        Assert.True(exitCode == 0, $"exit code {exitCode}: " + string.Join('\n', errors));
        Assert.Equal(48, ImageFile.Load(folder.File("out.png")).Width);
    }

    [Fact]
    public void GivenTwoVariants_WhenCompared_ThenTheSheetHasATileForEachAndTheTableARowForEach()
    {
        using var folder = new TempFolder();
        var sheet = folder.File("sheet.png");
        using var cli = CliProcess.Start(["compare", "--pair", $"{Content},{Style}", "--variant", "a=--size 32 --iterations 2", "--variant", "b=--size 32 --iterations 2 --jitter 0", "--tile", "64", "-o", sheet]);

        var exitCode = cli.WaitForExit(TimeSpan.FromMinutes(2));

        Assert.True(exitCode == 0, $"exit code {exitCode}: " + string.Join('\n', cli.ErrorLines) + cli.Output);
        var rows = cli.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, rows.Length);
        Assert.StartsWith("tubingen.jpg × starry_night.jpg\ta\tresnet18\t", rows[1], StringComparison.Ordinal);
        Assert.StartsWith("tubingen.jpg × starry_night.jpg\tb\tresnet18\t", rows[2], StringComparison.Ordinal);
        var image = ImageFile.Load(sheet);
        Assert.Equal(8 + (4 * (64 + 8)), image.Width);
    }

    [Theory]
    [InlineData("--variant", "nolabel", "expected LABEL=OPTIONS")]
    [InlineData("--variant", "x=--size 0", "--size must be at least 16")]
    [InlineData("--variant", "x=--bogus", "--bogus")]
    public void GivenABadVariant_WhenCompared_ThenOneLineSaysWhatIsWrongAndNoSheetIsWritten(string option, string value, string expected)
    {
        using var folder = new TempFolder();

        var (exitCode, errors) = CliProcess.Run(["compare", "--pair", $"{Content},{Style}", option, value, "-o", folder.File("sheet.png")]);

        Assert.Equal(1, exitCode);
        Assert.Contains(expected, Assert.Single(errors), StringComparison.Ordinal);
        Assert.Empty(folder.Files());
    }

    private static double MeanAbsoluteDifference(RgbImage a, RgbImage b) => a.Pixels.Zip(b.Pixels, (x, y) => Math.Abs(x - y)).Average();

    [GeneratedRegex(@"total ([0-9.e+-]+)")]
    private static partial Regex TotalLoss();
}
