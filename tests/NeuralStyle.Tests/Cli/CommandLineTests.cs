using System.Globalization;
using System.Text.RegularExpressions;
using NeuralStyle.Images;
using NeuralStyle.Tests.Images;

namespace NeuralStyle.Tests.Cli;

public sealed partial class CommandLineTests
{
    // What --precision auto (the default) chooses on this machine, as the last line names it.
    private static readonly string AutoPrecision = PrecisionChoice.Resolve(Precision.Auto, ComputeDevice.Cpu).ToString().ToLowerInvariant();

    private const int Invalid = 1;
    private const int Usage = 2;
    private static readonly string Content = TestImages.PhotoPath;
    private static readonly string Style = TestImages.PaintingPath;

    // No PyTorch cache anywhere: the network is what the test says, whatever the machine's home holds.
    private static readonly Dictionary<string, string?> NoTorchCache = new() { ["TORCH_HOME"] = "/nonexistent/torch" };

    [Fact]
    public void GivenTwoImagesAndWeights_WhenRunSmall_ThenTheLossFallsAndThePictureHasTheSizeAndDiffersFromBothInputs()
    {
        using var folder = new TempFolder();
        var output = folder.File("out.png");

        var (exitCode, errors) = CliProcess.Run([Content, Style, "-o", output, "--size", "64", "--iterations", "20", "--seed", "3", "--save-every", "10", "--weights", SharedData.TestWeights]);

        Assert.True(exitCode == 0, string.Join('\n', errors));
        var totals = Losses(errors, "total");
        Assert.True(totals.Count >= 3, string.Join('\n', errors));
        Assert.True(totals[^1] < totals[0] * 0.5, $"loss went from {totals[0]} to {totals[^1]}");
        Assert.Equal($"neural-style: wrote {output} (64×48, vgg19, {AutoPrecision}, seed 3)", errors[^1]);
        var result = ImageFile.Load(output);
        Assert.Equal((64, 48), (result.Width, result.Height));
        Assert.True(TestImages.MeanAbsoluteDifference(result, ImageFile.Resize(TestImages.Photo, 64, 48)) > 10);
        Assert.True(TestImages.MeanAbsoluteDifference(result, ImageFile.Resize(TestImages.Painting, 64, 48)) > 10);
        Assert.Equal(["out.png", "out_10.png"], folder.Files().Order(StringComparer.Ordinal));
    }

    [Fact]
    public void GivenTheTestWeightsAsACaffeModel_WhenPainted_ThenThePictureIsTheSameBytesAsFromTheirSafetensorsFile()
    {
        using var folder = new TempFolder();
        var caffemodel = folder.File("VGG_ILSVRC_19_layers.caffemodel");
        var tensors = NeuralStyle.Networks.Weights.SafetensorsFile.Read(SharedData.TestWeights).ToDictionary(t => t.Key, t => (t.Value.Shape, t.Value.Values));
        Networks.Weights.CaffeModelWriter.Write(caffemodel, "VGG_ILSVRC_19_layers", Networks.Weights.CaffeModelWriter.Vgg19(tensors), oldForm: true);
        string[] job = [Content, Style, "--size", "32", "--iterations", "5", "--seed", "1", "--precision", "float32"];

        var fromCaffe = CliProcess.Run([.. job, "-o", folder.File("caffe.png"), "--weights", caffemodel]);
        var fromSafetensors = CliProcess.Run([.. job, "-o", folder.File("safetensors.png"), "--weights", SharedData.TestWeights]);

        Assert.True(fromCaffe.ExitCode == 0, string.Join('\n', fromCaffe.Errors));
        Assert.Equal(0, fromSafetensors.ExitCode);
        Assert.Contains("vgg19", fromCaffe.Errors[^1], StringComparison.Ordinal);
        Assert.Equal(File.ReadAllBytes(folder.File("safetensors.png")), File.ReadAllBytes(folder.File("caffe.png")));
    }

    [Fact]
    public void GivenAVgg19AsTheOnnxModelZoosCaffe2Export_WhenPainted_ThenThePictureIsTheSameBytesAsFromTheSameFiltersInSafetensors()
    {
        using var folder = new TempFolder();
        var filters = SafetensorsWriter.CaffeLayers("conv5_4");
        var onnx = Networks.Onnx.OnnxVggTests.Written(folder, "vgg19-caffe2-9.onnx", (layer, _, part) => $"{layer}_{part[0]}_0", convolutions: filters);
        var safetensors = folder.File("same.safetensors");
        SafetensorsWriter.Write(safetensors, filters);
        string[] job = [Content, Style, "--size", "32", "--iterations", "5", "--seed", "1", "--precision", "float32"];

        var fromOnnx = CliProcess.Run([.. job, "-o", folder.File("onnx.png"), "--weights", onnx]);
        var fromSafetensors = CliProcess.Run([.. job, "-o", folder.File("safetensors.png"), "--weights", safetensors]);

        Assert.True(fromOnnx.ExitCode == 0, string.Join('\n', fromOnnx.Errors));
        Assert.Equal(0, fromSafetensors.ExitCode);
        Assert.Equal(File.ReadAllBytes(folder.File("safetensors.png")), File.ReadAllBytes(folder.File("onnx.png")));
    }

    [Fact]
    public void GivenVgg16Weights_WhenPaintedWithNetworkVgg16_ThenItPaintsAndAutoOrALayerVgg16LacksIsRefusedInALine()
    {
        using var folder = new TempFolder();
        var weights = folder.File("vgg16.safetensors");
        SafetensorsWriter.Write(weights, SafetensorsWriter.CaffeLayers("conv5_3", NeuralStyle.Networks.VggLayout.Vgg16));
        string[] job = [Content, Style, "--size", "32", "--iterations", "3", "--seed", "1", "--weights", weights];

        var painted = CliProcess.Run([.. job, "-o", folder.File("vgg16.png"), "--network", "vgg16"]);
        var auto = CliProcess.Run([.. job, "-o", folder.File("auto.png")]);
        var deeper = CliProcess.Run([.. job, "-o", folder.File("deeper.png"), "--network", "vgg16", "--style-layers", "conv5_4"]);

        Assert.True(painted.ExitCode == 0, string.Join('\n', painted.Errors));
        Assert.StartsWith($"neural-style: wrote {folder.File("vgg16.png")} (32×24, vgg16, ", painted.Errors[^1], StringComparison.Ordinal);
        Assert.Equal((1, $"neural-style: {weights}: holds VGG-16, not the VGG-19 that --network auto takes; use --network vgg16"), (auto.ExitCode, Assert.Single(auto.Errors)));
        Assert.Equal(1, deeper.ExitCode);
        Assert.StartsWith("neural-style: vgg16 has no layer 'conv5_4' (layers: conv1_1, ", Assert.Single(deeper.Errors), StringComparison.Ordinal);
        Assert.Equal(["vgg16.png"], folder.Files().Where(f => f.EndsWith(".png", StringComparison.Ordinal)));
    }

    // Every check of the options, each with its message and exit code 1; the run is small where it gets that far.
    public static TheoryData<string[], string> InvalidOptions => new()
    {
        { ["--size", "8"], "neural-style: --size must be at least 16 (got 8)" },
        { ["--iterations", "0"], "neural-style: --iterations must be at least 1 (got 0)" },
        { ["--scales", "0"], "neural-style: --scales must be at least 1 (got 0)" },
        { ["--content-weight", "-1"], "neural-style: --content-weight must be a finite number ≥ 0 (got -1)" },
        { ["--style-weight", "NaN"], "neural-style: --style-weight must be a finite number ≥ 0 (got NaN)" },
        { ["--tv-weight", "-0.5"], "neural-style: --tv-weight must be a finite number ≥ 0 (got -0.5)" },
        { ["--style-strength", "-1"], "neural-style: --style-strength must be a finite number ≥ 0 (got -1)" },
        { ["--palette-weight", "Infinity"], "neural-style: --palette-weight must be a finite number ≥ 0 (got Infinity)" },
        { ["--reduced-style-weight", "-0.5"], "neural-style: --reduced-style-weight must be a finite number ≥ 0 (got -0.5)" },
        { ["--learning-rate", "0"], "neural-style: --learning-rate must be a finite number > 0 (got 0)" },
        { ["--lbfgs-history", "0"], "neural-style: --lbfgs-history must be at least 1 (got 0)" },
        { ["--max-memory", "0.5"], "neural-style: --max-memory must be at least 1 GiB (got 0.5 GiB)" },
        { ["--max-memory", "NaN"], "neural-style: --max-memory must be a number of GiB (got NaN)" },
        { ["--gradient-smoothing", "1.5"], "neural-style: --gradient-smoothing must be in [0, 1] (got 1.5)" },
        { ["--learning-rate-end", "2"], "neural-style: --learning-rate-end must be in [0, 1] (got 2)" },
        { ["--jitter", "-3"], "neural-style: --jitter must be ≥ 0 (got -3)" },
        { ["--average", "1"], "neural-style: --average must be in [0, 1) (got 1)" },
        { ["--save-every", "-1"], "neural-style: --save-every must be ≥ 0 (got -1)" },
        { ["--trace", "/nonexistent/folder/trace.jsonl"], "neural-style: --trace /nonexistent/folder/trace.jsonl: cannot write (" },
        { ["--network", "resnet18", "--weights", SharedData.TestWeights], "neural-style: --weights is for --network vgg19 or vgg16; the built-in resnet18 needs none" },
        { ["--style-mask", SharedData.Sample("chelsea-face-mask.png"), "--style-loss", "sliced-wasserstein"], "neural-style: --style-loss sliced-wasserstein cannot be combined with --style-mask: a region's distribution is not compared yet; use --style-loss gram" },
        { ["--content-layers", ","], "neural-style: --content-layers needs at least one layer" },
        { ["--style-layers", " , "], "neural-style: --style-layers needs at least one layer" },
        { ["--weights", SharedData.TestWeights, "--style-layers", "conv1_1,relu1_1"], "neural-style: --style-layers names conv1_1 twice; give each layer once (its weight in --style-layer-weights)" },
        { ["--style-weight", "1e308"], "neural-style: --style-weight must be at most 1e+9 (got 1e+308)" },
        { ["--style-strength", "1e5"], "neural-style: --style-strength must be at most 1e+3 (got 1e+5)" },
        { ["--network", "resnet18", "--style-layer-weights", "1,2"], "neural-style: --style-layer-weights has 2 values for 3 style layers" },
        { ["--style-layers", "conv1_1,conv2_1", "--style-layer-weights", "1,-2"], "neural-style: --style-layer-weights must be finite numbers ≥ 0" },
        { ["--style-layer-weights", "1,x"], "neural-style: --style-layer-weights: 'x' is not a number" },
        { ["--init", "nothing.png"], "neural-style: --init nothing.png: no such image file (or use noise, content or style)" },
        { ["--weights", SharedData.TestWeights, "--style-layers", "conv1_1,conv9_9"], "neural-style: vgg19 has no layer 'conv9_9' (layers: conv1_1, conv1_2, pool1, conv2_1" },
        { ["--network", "resnet18", "--content-layers", "conv4_2"], "neural-style: resnet18 has no layer 'conv4_2' (layers: conv1, maxpool, layer1.0" },
        { ["--weights", SharedData.PartialCaffeWeights], "holds VGG-19 only up to conv3_4, so layer conv4_2 cannot be computed; choose shallower --content-layers/--style-layers" },
        { ["--network", "resnet18", "--size", "200000"], "neural-style: --size 200000 (200000x150000) needs about" },
        { ["--network", "vgg19", "--size", "32"], "neural-style: no VGG-19 weights: pass --weights FILE (.pth, .safetensors, .caffemodel or .onnx), run `neural-style models download vgg19`, or put torchvision's vgg19-dcbb9e9d.pth in /nonexistent/torch/hub/checkpoints" },
        { ["--weights", Content], $"neural-style: {Content}: not a weight file (expected safetensors, a PyTorch .pth, a Caffe .caffemodel or an ONNX VGG)" },
        { ["--weights", "/nonexistent/vgg19.pth"], "neural-style: /nonexistent/vgg19.pth: no such weights file" },
        { ["--style-blend", "1,1"], "neural-style: --style-blend has 2 values for 1 painting" },
        { ["--style-blend", "a"], "neural-style: --style-blend: 'a' is not a number" },
        { ["--style-mask", Content, "--style-mask", Content], "neural-style: --style-mask was given 2 times for 1 painting; give one mask per painting, in their order" },
        { ["--style-mask", "/nonexistent/mask.png"], "neural-style: /nonexistent/mask.png: no such image file" },
        { ["--style-mask", SharedData.TestWeights], $"neural-style: {SharedData.TestWeights}: not an image that can be decoded" },
        { ["--coarse-style", Style, "--style-mask", Content], "neural-style: --coarse-style cannot be combined with --style-mask" },
        { ["--coarse-from", "conv3_1"], "neural-style: --coarse-from needs --coarse-style" },
        { ["--settings", "/nonexistent/s.json"], "neural-style: --settings /nonexistent/s.json: no such file" },
        { ["--settings", Content], "neural-style: settings: " },
        { ["--tile", "10"], "neural-style: --tile must be 0 (whole) or at least 64 (got 10)" },
        { ["--style-scale", "0"], "neural-style: --style-scale must be a number above 0 and at most 64 (got 0)" },
        { ["--device", "cuda:99"], TorchSharp.torch.cuda.is_available() ? "neural-style: --device cuda:99: there is no such GPU" : "neural-style: --device cuda:99: TorchSharp finds no CUDA GPU" },
    };

    [Theory]
    [MemberData(nameof(InvalidOptions))]
    public void GivenAnImpossibleOption_WhenRun_ThenOneLineSaysWhatIsWrongWithExitCode1AndNoOutput(string[] options, string expected)
    {
        using var folder = new TempFolder();

        var (exitCode, errors) = CliProcess.Run([Content, Style, "-o", folder.File("out.png"), .. Small(options), .. options], NoTorchCache);

        Assert.True(exitCode == Invalid && errors.Count == 1, $"exit code {exitCode}: " + string.Join('\n', errors));
        Assert.Contains(expected, errors[0], StringComparison.Ordinal);
        Assert.StartsWith("neural-style: ", errors[0], StringComparison.Ordinal);
        Assert.Empty(folder.Files());
    }

    public static TheoryData<string[], string> MalformedCommandLines => new()
    {
        { [Content, Style, "-o", "out.png", "--optimizer", "sgd"], "Argument 'sgd' not recognized. Must be one of:" },
        { [Content, Style, "-o", "out.png", "--pooling", "median"], "Argument 'median' not recognized." },
        { [Content, Style, "-o", "out.png", "--network", "alexnet"], "Argument 'alexnet' not recognized." },
        { [Content, Style, "-o", "out.png", "--precision", "float16"], "Argument 'float16' not recognized." },
        { [Content, Style, "-o", "out.png", "--preserve-colors", "sepia"], "Argument 'sepia' not recognized." },
        { [Content, Style, "-o", "out.png", "--device", "tpu"], "--device: 'tpu' is not a device (cpu, cuda or cuda:N)" },
        { [Content, Style, "-o", "out.png", "--size", "large"], "Cannot parse argument 'large' for option '--size'" },
        { [Content, Style, "-o", "out.png", "--bogus"], "Unrecognized command or argument '--bogus'" },
        { [Content, Style], "Option '--output' is required." },
        { [Content, "-o", "out.png"], "Required argument missing for command" },
    };

    [Theory]
    [MemberData(nameof(MalformedCommandLines))]
    public void GivenAMalformedCommandLine_WhenRun_ThenOneLineWithExitCode2(string[] args, string expected)
    {
        var (exitCode, errors) = CliProcess.Run(args);

        Assert.True(exitCode == Usage && errors.Count == 1, $"exit code {exitCode}: " + string.Join('\n', errors));
        Assert.StartsWith("neural-style: ", errors[0], StringComparison.Ordinal);
        Assert.Contains(expected, errors[0], StringComparison.Ordinal);
        Assert.EndsWith("(see --help)", errors[0], StringComparison.Ordinal);
    }

    public static TheoryData<string, string> BadImages => new()
    {
        { "missing.jpg", "{0}: no such image file" },
        { "text.png", "{0}: not an image that can be decoded (corrupt, or not PNG/JPEG/WebP/GIF/BMP)" },
        { "huge.png", "{0}: 30000×30000 pixels (900 megapixels) is more than the 250 megapixels this tool decodes; reduce the picture first" },
        { "pipe.png", "{0}: not an image file (empty, or a device or a pipe)" },
    };

    [Theory]
    [MemberData(nameof(BadImages))]
    public void GivenAPhotoThatCannotBeUsed_WhenRun_ThenOneLineNamesItWithExitCode1AndNoOutput(string name, string expected)
    {
        using var folder = new TempFolder();
        File.WriteAllText(folder.File("text.png"), "not an image");
        CraftedImages.PngPromising(folder.File("huge.png"), 30_000, 30_000);
        System.Diagnostics.Process.Start("mkfifo", folder.File("pipe.png")).WaitForExit();
        var before = folder.Files();

        var (exitCode, errors) = CliProcess.Run([folder.File(name), Style, "-o", folder.File("out.png"), "--size", "32", "--iterations", "1"]);

        Assert.Equal(Invalid, exitCode);
        Assert.Equal("neural-style: " + string.Format(CultureInfo.InvariantCulture, expected, folder.File(name)), Assert.Single(errors));
        Assert.Equal(before, folder.Files());
    }

    [Fact]
    public void GivenAPhotoOnePixelWide_WhenPainted_ThenTheBuiltInNetworkPaintsItAndVgg19RefusesItInOneLine()
    {
        using var folder = new TempFolder();
        var strip = folder.File("strip.png");
        ImageFile.SaveAtomically(new RgbImage(1, 10_000, [.. Enumerable.Repeat((byte)120, 30_000)]), strip);

        var resnet = CliProcess.Run([strip, Style, "-o", folder.File("resnet.png"), "--network", "resnet18", "--size", "64", "--iterations", "1"]);
        var vgg = CliProcess.Run([strip, Style, "-o", folder.File("vgg.png"), "--weights", SharedData.TestWeights, "--size", "64", "--iterations", "1"]);

        Assert.Equal(0, resnet.ExitCode);
        Assert.Equal((1, 64), (ImageFile.Load(folder.File("resnet.png")).Width, ImageFile.Load(folder.File("resnet.png")).Height));
        Assert.Equal(Invalid, vgg.ExitCode);
        Assert.Equal("neural-style: --size 64 makes the picture 1×64, too thin for vgg19's pooling; give a larger --size or a less narrow photo", Assert.Single(vgg.Errors));
        Assert.False(File.Exists(folder.File("vgg.png")));
    }

    [Theory]
    [InlineData("--settings", "/dev/zero", "--settings /dev/zero: not a settings file (empty, larger than 1 MiB, or a device or a pipe)")]
    [InlineData("--trace", "/dev/full", "--trace /dev/full: cannot write (No space left on device")]
    public void GivenADeviceForAFileOption_WhenRun_ThenOneLineNamesItWithExitCode1AndTheDeviceStays(string option, string device, string expected)
    {
        using var folder = new TempFolder();

        var (exitCode, errors) = CliProcess.Run([Content, Style, "-o", folder.File("out.png"), "--network", "resnet18", "--size", "32", "--iterations", "2", option, device]);

        Assert.Equal(Invalid, exitCode);
        Assert.StartsWith("neural-style: " + expected, Assert.Single(errors), StringComparison.Ordinal);
        Assert.Empty(folder.Files());
        Assert.True(File.Exists(device), $"{device} is still there");
    }

    [Theory]
    [InlineData("out.gif", "{0}: output must end in .png, .jpg or .jpeg")]
    [InlineData("no-such-folder/out.png", "{0}: folder {1}/no-such-folder does not exist")]
    [InlineData("taken.png", "{0}: is a folder, not a file name")]
    [InlineData("/sys/out.png", "/sys/out.png: cannot write in folder /sys (")]
    public void GivenAnOutputThatCannotBeWritten_WhenRun_ThenItIsRefusedBeforeAnyWorkAndNothingIsLeftBehind(string output, string expected)
    {
        using var folder = new TempFolder();
        Directory.CreateDirectory(folder.File("taken.png"));
        var path = Path.IsPathRooted(output) ? output : folder.File(output);

        var (exitCode, errors) = CliProcess.Run([Content, Style, "-o", path, "--network", "resnet18", "--size", "32", "--iterations", "1"]);

        Assert.Equal(Invalid, exitCode);
        Assert.StartsWith("neural-style: " + string.Format(CultureInfo.InvariantCulture, expected, path, folder.Path), Assert.Single(errors), StringComparison.Ordinal);
        Assert.Equal(["taken.png"], Directory.GetFileSystemEntries(folder.Path).Select(Path.GetFileName));
    }

    [Fact]
    public void GivenAnExistingOutput_WhenARunFails_ThenTheOldPictureIsUntouched()
    {
        using var folder = new TempFolder();
        var output = folder.File("out.png");
        File.WriteAllBytes(output, [1, 2, 3]);

        var (exitCode, _) = CliProcess.Run([Content, Style, "-o", output, "--weights", SharedData.Reference("gatys-reference.json")]);

        Assert.Equal(Invalid, exitCode);
        Assert.Equal([1, 2, 3], File.ReadAllBytes(output));
    }

    // torchvision's cache: $TORCH_HOME/hub/checkpoints, else $XDG_CACHE_HOME/torch/hub/checkpoints, else ~/.cache/torch/hub/checkpoints.
    [Theory]
    [InlineData("TORCH_HOME", "torch")]
    [InlineData("XDG_CACHE_HOME", "torch")]
    [InlineData("HOME", ".cache/torch")]
    public void GivenEachPlaceThePyTorchCacheCanBe_WhenVgg19IsAskedWithoutWeights_ThenTheMessageNamesThatPlace(string variable, string below)
    {
        using var folder = new TempFolder();
        var environment = new Dictionary<string, string?> { ["TORCH_HOME"] = null, ["XDG_CACHE_HOME"] = null, [variable] = folder.Path };

        var (exitCode, errors) = CliProcess.Run([Content, Style, "-o", folder.File("out.png"), "--network", "vgg19"], environment);

        Assert.Equal(Invalid, exitCode);
        var expected = variable == "TORCH_HOME" ? Path.Combine(folder.Path, "hub", "checkpoints") : Path.Combine(folder.Path, below, "hub", "checkpoints");
        Assert.Equal($"neural-style: no VGG-19 weights: pass --weights FILE (.pth, .safetensors, .caffemodel or .onnx), run `neural-style models download vgg19`, or put torchvision's vgg19-dcbb9e9d.pth in {expected}", Assert.Single(errors));
    }

    [Fact]
    public void GivenWeightsInThePyTorchCache_WhenRunWithoutWeights_ThenVgg19IsTakenFromThere()
    {
        using var folder = new TempFolder();
        var checkpoints = Directory.CreateDirectory(Path.Combine(folder.Path, "torch", "hub", "checkpoints")).FullName;
        var cached = Path.Combine(checkpoints, "vgg19-dcbb9e9d.pth");
        File.Copy(SharedData.Pth("vgg19-partial-legacy.pth"), cached);
        var environment = new Dictionary<string, string?> { ["TORCH_HOME"] = Path.Combine(folder.Path, "torch") };
        string[] args = [Content, Style, "-o", folder.File("out.png"), "--size", "32", "--iterations", "3", "--content-layers", "conv2_1", "--style-layers", "conv1_1"];

        var (exitCode, errors) = CliProcess.Run(args, environment);
        File.WriteAllText(cached, "damaged");
        var (damagedExitCode, damagedErrors) = CliProcess.Run(args, environment);

        Assert.True(exitCode == 0, string.Join('\n', errors));
        Assert.StartsWith($"neural-style: wrote {folder.File("out.png")} (32×24, vgg19, {AutoPrecision}, seed ", errors[^1], StringComparison.Ordinal);
        Assert.Equal(Invalid, damagedExitCode);
        Assert.Equal($"neural-style: {cached}: not a weight file (expected safetensors, a PyTorch .pth, a Caffe .caffemodel or an ONNX VGG)", Assert.Single(damagedErrors));
    }

    [Theory]
    [InlineData("INT", 130)]
    [InlineData("TERM", 143)]
    public void GivenALongRun_WhenInterruptedOrTerminated_ThenItStopsSavesTheImageSoFarAndExitsWith128PlusTheSignal(string signal, int expectedExitCode)
    {
        using var folder = new TempFolder();
        var output = folder.File("out.png");
        using var cli = CliProcess.Start([Content, Style, "-o", output, "--size", "48", "--iterations", "100000", "--weights", SharedData.PartialCaffeWeights, "--content-layers", "conv3_2", "--style-layers", "conv1_1,conv2_1"]);
        cli.WaitForErrorLine(l => l.StartsWith("iteration 10/", StringComparison.Ordinal), "progress line for iteration 10");

        cli.Signal(signal);
        var exitCode = cli.WaitForExit();

        Assert.Equal(expectedExitCode, exitCode);
        Assert.Matches(@"^neural-style: stopped after \d+ of 100000 iterations; saved ", cli.ErrorLines[^1]);
        Assert.Equal(48, ImageFile.Load(output).Width);
        Assert.Equal(["out.png"], folder.Files());
    }

    // The second Ctrl+C must land while the iteration the first one waits for is still running: one
    // scale of 1536 px (the default's coarse scales take milliseconds an iteration) makes an iteration
    // of the built-in network take about 0.6 s here; the test answers the first one's line within
    // milliseconds.
    [Fact]
    public void GivenAFirstCtrlC_WhenASecondFollowsBeforeTheIterationEnds_ThenTheProcessEndsAtOnceWithoutSaving()
    {
        using var folder = new TempFolder();
        using var cli = CliProcess.Start([Content, Style, "-o", folder.File("out.png"), "--network", "resnet18", "--size", "1536", "--scales", "1", "--iterations", "100000"]);
        cli.WaitForErrorLine(l => l.StartsWith("iteration 1/", StringComparison.Ordinal), "progress line for iteration 1");

        cli.Signal("INT");
        cli.WaitForErrorLine(l => l.StartsWith("neural-style: stopping after this iteration", StringComparison.Ordinal), "acknowledgement of the first Ctrl+C");
        cli.Signal("INT");
        var exitCode = cli.WaitForExit();

        Assert.Equal(130, exitCode);
        Assert.DoesNotContain(cli.ErrorLines, l => l.Contains("stopped after", StringComparison.Ordinal));
        Assert.Empty(folder.Files());
    }

    [Fact]
    public void GivenNoWeightsAnywhere_WhenRunOnTheRepositorysSamples_ThenTheBuiltInNetworkPaintsThem()
    {
        using var folder = new TempFolder();
        var samples = Path.Combine(SharedData.RepositoryRoot, "samples");

        var (exitCode, errors) = CliProcess.Run([Path.Combine(samples, "chelsea.png"), Path.Combine(samples, "ihc.png"), "-o", folder.File("cat.jpg"), "--size", "48", "--iterations", "4"], NoTorchCache);

        Assert.True(exitCode == 0, $"exit code {exitCode}: " + string.Join('\n', errors));
        Assert.StartsWith($"neural-style: wrote {folder.File("cat.jpg")} (48×32, resnet18, {AutoPrecision}, seed ", errors[^1], StringComparison.Ordinal);
        var result = ImageFile.Load(folder.File("cat.jpg"));
        Assert.Equal((48, 32), (result.Width, result.Height));
    }

    // On the CPU the same seed gives the same bytes; a run without one names the seed it drew, which repeats it.
    [Fact]
    public void GivenNoSeed_WhenRunAndThenRunAgainWithTheSeedItNamed_ThenBothFilesAreTheSameBytesAndAnotherSeedDiffers()
    {
        using var folder = new TempFolder();
        var samples = Path.Combine(SharedData.RepositoryRoot, "samples");
        (int ExitCode, IReadOnlyList<string> Errors) Paint(string output, params string[] more) =>
            CliProcess.Run([Path.Combine(samples, "chelsea.png"), Path.Combine(samples, "ihc.png"), "-o", folder.File(output), "--size", "48", "--iterations", "6", .. more], NoTorchCache);

        var (exitCode, errors) = Paint("drawn.png");
        var seed = SeedLine().Match(errors[^1]).Groups[1].Value;
        var (againExitCode, _) = Paint("again.png", "--seed", seed);
        var (otherExitCode, _) = Paint("other.png", "--seed", (int.Parse(seed, CultureInfo.InvariantCulture) ^ 1).ToString(CultureInfo.InvariantCulture));

        Assert.True(exitCode == 0 && againExitCode == 0 && otherExitCode == 0, string.Join('\n', errors));
        Assert.NotEqual("", seed);
        Assert.Equal(File.ReadAllBytes(folder.File("drawn.png")), File.ReadAllBytes(folder.File("again.png")));
        Assert.NotEqual(File.ReadAllBytes(folder.File("drawn.png")), File.ReadAllBytes(folder.File("other.png")));
    }

    // The same noise seen in bfloat16: the first content loss moves by rounding (about 1e-3 here), which
    // the line's four digits show, and by no more than rounding. Adam, whose eight steps take the loss
    // from 1.1e14 to 2.5e14 here, where L-BFGS took twenty (it climbs at first in bfloat16): this CPU
    // emulates bfloat16 at 1.7 s an evaluation.
    [Fact]
    public void GivenBfloat16AndVgg19_WhenRun_ThenTheFirstLossShowsItsRoundingTheLossFallsAndThePictureIsWritten()
    {
        using var folder = new TempFolder();
        string[] args = [Content, Style, "--weights", SharedData.TestWeights, "--size", "64", "--scales", "1", "--seed", "3"];

        var (exitCode, errors) = CliProcess.Run([.. args, "-o", folder.File("half.png"), "--iterations", "8", "--optimizer", "adam", "--precision", "bfloat16"]);
        var (fullExitCode, fullErrors) = CliProcess.Run([.. args, "-o", folder.File("full.png"), "--iterations", "1", "--precision", "float32"]);

        Assert.True(exitCode == 0 && fullExitCode == 0, string.Join('\n', errors.Concat(fullErrors)));
        var totals = Losses(errors, "total");
        Assert.True(totals[^1] < totals[0] * 0.5, $"loss went from {totals[0]} to {totals[^1]}");
        var (half, full) = (Losses(errors, "content")[0], Losses(fullErrors, "content")[0]);
        Assert.InRange(Math.Abs(half - full) / full, 1e-4, 1e-2);
        Assert.Equal(64, ImageFile.Load(folder.File("half.png")).Width);
    }

    [Fact]
    public void GivenAveragePooling_WhenRun_ThenTheNetworkSeesTheSameNoiseDifferently()
    {
        string[] args = [Content, Style, "--weights", SharedData.TestWeights, "--size", "64", "--scales", "1", "--iterations", "1", "--seed", "3"];
        using var folder = new TempFolder();

        var (maxExit, maxErrors) = CliProcess.Run([.. args, "-o", folder.File("max.png")]);
        var (avgExit, avgErrors) = CliProcess.Run([.. args, "-o", folder.File("avg.png"), "--pooling", "avg"]);

        Assert.Equal((0, 0), (maxExit, avgExit));
        var (max, avg) = (Losses(maxErrors, "style")[0], Losses(avgErrors, "style")[0]);
        Assert.True(Math.Abs(max - avg) > 0.05 * max, $"style loss at the same noise: max pooling {max}, average pooling {avg}");
    }

    [Fact]
    public void GivenTwoPaintingsEachWithAMask_WhenRunAt16Bits_ThenA16BitPngIsWrittenWithValuesThatAreNotWidened8BitOnes()
    {
        using var folder = new TempFolder();
        var output = folder.File("out.png");
        var (left, right) = (folder.File("left.png"), folder.File("right.png"));
        ImageFile.SaveAtomically(HalfMask(leftWhite: true), left);
        ImageFile.SaveAtomically(HalfMask(leftWhite: false), right);

        var (exitCode, errors) = CliProcess.Run(
            [Content, Style, SharedData.Image("the_scream.jpg"), "-o", output, "--style-mask", left, "--style-mask", right, "--network", "resnet18", "--size", "64", "--iterations", "3", "--seed", "1", "--depth", "16"]);

        Assert.True(exitCode == 0, string.Join('\n', errors));
        var (width, height, values) = Png16Reader.Read(output);
        Assert.Equal((64, 48), (width, height));

        // An independent decoder (SkiaSharp's libpng, which checks every chunk's CRC) reads the same
        // picture at 8 bits, to within its own rounding down.
        var eight = ImageFile.Load(output);
        Assert.InRange(values.Zip(eight.Pixels, (v, b) => Math.Abs((v / 257.0) - b)).Max(), 0, 1);
        var colours = values;
        Assert.True(colours.Max() > 257 * 100, "the picture is dark or empty");
    }

    [Fact]
    public void GivenATraceFile_WhenTheJobIsRefusedBeforeItsFirstIteration_ThenNoTraceIsLeft()
    {
        using var folder = new TempFolder();

        var (exitCode, errors) = CliProcess.Run([Content, Style, "-o", folder.File("out.png"), "--trace", folder.File("trace.jsonl"), "--network", "resnet18", "--size", "200000"]);

        Assert.Equal(Invalid, exitCode);
        Assert.StartsWith("neural-style: --size 200000", Assert.Single(errors), StringComparison.Ordinal);
        Assert.Empty(folder.Files());
    }

    [Fact]
    public void GivenASettingsFileAndAnOptionBeside_WhenRun_ThenTheFilesSettingsApplyAndTheOptionTakesItsPlace()
    {
        using var folder = new TempFolder();
        var settings = folder.File("settings.json");
        File.WriteAllText(settings, StyleTransferSettings.ToJson(new StyleTransferOptions { Network = NeuralStyle.Networks.NetworkKind.ResNet18, Size = 64, Iterations = 2, Seed = 4 }));

        var (exitCode, errors) = CliProcess.Run([Content, Style, "-o", folder.File("out.png"), "--settings", settings, "--size", "40"]);

        Assert.True(exitCode == 0, string.Join('\n', errors));
        Assert.Equal($"neural-style: wrote {folder.File("out.png")} (40×30, resnet18, {AutoPrecision}, seed 4)", errors[^1]);
    }

    [Fact]
    public void Given16BitsForAJpeg_WhenRun_ThenOneLineSaysPngOnlyAndNothingIsWritten()
    {
        using var folder = new TempFolder();
        var output = folder.File("out.jpg");

        var (exitCode, errors) = CliProcess.Run([Content, Style, "-o", output, "--depth", "16", "--size", "32", "--iterations", "1"]);

        Assert.Equal(Invalid, exitCode);
        Assert.Equal($"neural-style: {output}: --depth 16 is written as .png only", Assert.Single(errors));
        Assert.Empty(folder.Files());
    }

    [Fact]
    public void GivenASeed_WhenRunTwice_ThenTheFilesAreByteForByteTheSameAndAnotherSeedGivesAnother()
    {
        using var folder = new TempFolder();
        string[] args = [Content, Style, "--network", "resnet18", "--size", "48", "--iterations", "3", "--init", "noise"];

        var runs = new[] { ("a.png", "5"), ("b.png", "5"), ("c.png", "6") }
            .Select(r => CliProcess.Run([.. args, "-o", folder.File(r.Item1), "--seed", r.Item2]).ExitCode).ToList();

        Assert.Equal([0, 0, 0], runs);
        Assert.Equal(File.ReadAllBytes(folder.File("a.png")), File.ReadAllBytes(folder.File("b.png")));
        Assert.NotEqual(File.ReadAllBytes(folder.File("a.png")), File.ReadAllBytes(folder.File("c.png")));
    }

    [Fact]
    public void GivenSnapshotsAcrossScalesAsJpeg_WhenRun_ThenEachIsWrittenAtItsScalesSizeBesideTheResult()
    {
        using var folder = new TempFolder();

        var (exitCode, errors) = CliProcess.Run([Content, Style, "-o", folder.File("out.jpg"), "--network", "resnet18", "--size", "128", "--scales", "2", "--iterations", "4", "--save-every", "2"]);

        Assert.True(exitCode == 0, string.Join('\n', errors));
        Assert.Equal(["out.jpg", "out_2.jpg", "out_4.jpg", "out_6.jpg"], folder.Files().Order(StringComparer.Ordinal));
        Assert.Equal([64, 64, 128, 128], new[] { "out_2.jpg", "out_4.jpg", "out_6.jpg", "out.jpg" }.Select(f => ImageFile.Load(folder.File(f)).Width));
    }

    // One JSON line per iteration, numbered across the scales, with the scale and the weighted terms that make the total.
    [Fact]
    public void GivenATraceFile_WhenRunOverTwoScales_ThenItHoldsOneJsonLinePerIterationWithItsScaleAndTerms()
    {
        using var folder = new TempFolder();

        var (exitCode, errors) = CliProcess.Run([Content, Style, "-o", folder.File("out.png"), "--network", "resnet18", "--size", "128", "--scales", "2", "--iterations", "3", "--trace", folder.File("trace.jsonl")], NoTorchCache);

        Assert.True(exitCode == 0, string.Join('\n', errors));
        var lines = File.ReadAllLines(folder.File("trace.jsonl")).Select(l => System.Text.Json.JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal([1, 2, 3, 4, 5, 6], lines.Select(l => l.GetProperty("iteration").GetInt32()));
        Assert.Equal([0, 0, 0, 1, 1, 1], lines.Select(l => l.GetProperty("scale").GetInt32()));
        foreach (var line in lines)
        {
            var terms = line.GetProperty("content").GetDouble() + line.GetProperty("style").GetDouble() + line.GetProperty("tv").GetDouble();
            Assert.Equal(line.GetProperty("total").GetDouble(), terms, line.GetProperty("total").GetDouble() * 1e-6);
            Assert.True(line.GetProperty("seconds").GetDouble() >= 0 && line.GetProperty("residentBytes").GetInt64() > 100_000_000, line.ToString());
        }
    }

    // libtorch writes its own warnings to standard error (NNPACK's, on some CPUs, at every small
    // convolution): at small sizes and across scales, only the program's lines may appear there.
    [Theory]
    [InlineData("--network", "resnet18", "--size", "96", "--iterations", "60")]
    [InlineData("--weights", "{weights}", "--size", "160", "--scales", "3", "--iterations", "10")]
    public void GivenASmallJob_WhenRun_ThenStandardErrorHoldsOnlyTheProgramsOwnLines(params string[] options)
    {
        using var folder = new TempFolder();
        string[] args = [.. options.Select(o => o == "{weights}" ? SharedData.TestWeights : o)];

        var (exitCode, errors) = CliProcess.Run([Content, Style, "-o", folder.File("out.png"), .. args]);

        Assert.True(exitCode == 0, string.Join('\n', errors));
        Assert.All(errors, line => Assert.Matches(OwnLine(), line));
        Assert.InRange(errors.Count, 4, 10);
    }

    [Fact]
    public void GivenTwoVariants_WhenCompared_ThenTheSheetHasATileForEachAndTheTableARowForEach()
    {
        using var folder = new TempFolder();
        var sheet = folder.File("sheet.png");
        using var cli = CliProcess.Start(["compare", "--pair", $"{Content},{Style}", "--variant", "a=--size 32 --iterations 2", "--variant", "b=--size 32 --iterations 2 --jitter 0", "--tile", "64", "-o", sheet], NoTorchCache);

        var exitCode = cli.WaitForExit();

        Assert.True(exitCode == 0, $"exit code {exitCode}: " + string.Join('\n', cli.ErrorLines));
        var rows = cli.OutputLines;
        Assert.Equal(3, rows.Count);
        Assert.StartsWith("tubingen.jpg × starry_night.jpg\ta\tresnet18\t", rows[1], StringComparison.Ordinal);
        Assert.StartsWith("tubingen.jpg × starry_night.jpg\tb\tresnet18\t", rows[2], StringComparison.Ordinal);
        var image = ImageFile.Load(sheet);
        Assert.Equal(8 + (4 * (64 + 8)), image.Width);
    }

    // The paper's figure: rows of style layers, columns of α/β; a cell takes its row's options, then its column's.
    [Fact]
    public void GivenRowsAndColumns_WhenCompared_ThenEachCellCombinesItsRowsAndColumnsOptionsAndTheSheetHasARowForEach()
    {
        using var folder = new TempFolder();
        var sheet = folder.File("sheet.png");
        using var cli = CliProcess.Start(
            ["compare", "--pair", $"{Content},{Style}", "--row", "shallow=--size 32 --iterations 2 --style-layers conv1", "--row", "deep=--size 32 --iterations 2 --style-layers layer4 --network vgg19",
             "--variant", "x=--network resnet18", "--variant", "y=--network resnet18 --size 48", "--tile", "64", "-o", sheet],
            NoTorchCache);

        var exitCode = cli.WaitForExit();

        Assert.True(exitCode == 0, $"exit code {exitCode}: " + string.Join('\n', cli.ErrorLines));
        Assert.Equal(
            ["shallow · x\tresnet18", "shallow · y\tresnet18", "deep · x\tresnet18", "deep · y\tresnet18"],
            cli.OutputLines.Skip(1).Select(r => string.Join('\t', r.Split('\t')[1..3])));
        var image = ImageFile.Load(sheet);
        Assert.Equal(8 + (4 * (64 + 8)), image.Width);
        Assert.True(image.Height > 2 * 48, $"the sheet is {image.Height} px high for two rows");
    }

    [Fact]
    public void GivenReferenceWeights_WhenCompared_ThenEachRowCarriesAPaletteRatioAStyleAContentAndALargeScaleStyleDistance()
    {
        using var folder = new TempFolder();

        using var cli = CliProcess.Start(["compare", "--pair", $"{Content},{Style}", "--variant", "a=--size 32 --iterations 2", "--reference-weights", SharedData.PartialCaffeWeights, "-o", folder.File("sheet.png")], NoTorchCache);
        var exitCode = cli.WaitForExit();

        Assert.True(exitCode == 0, $"exit code {exitCode}: " + string.Join('\n', cli.ErrorLines));
        var cells = cli.OutputLines[1].Split('\t');
        Assert.Equal(9, cells.Length);
        Assert.InRange(double.Parse(cells[5], CultureInfo.InvariantCulture), 0, 2);
        Assert.True(double.Parse(cells[6], CultureInfo.InvariantCulture) > 0, cells[6]);
        Assert.InRange(double.Parse(cells[7], CultureInfo.InvariantCulture), 1e-6, 10);
        Assert.True(double.Parse(cells[8], CultureInfo.InvariantCulture) > 0, cells[8]);
    }

    // Another tool's picture measured beside ours: here the painting itself, which is as close to its
    // own style as a picture can be, and the photo, which is as close to the content.
    [Fact]
    public void GivenAFinishedPictureInAPair_WhenCompared_ThenItIsMeasuredInAFirstColumnUnderItsLabel()
    {
        using var folder = new TempFolder();
        var sheet = folder.File("sheet.png");

        using var cli = CliProcess.Start(
            ["compare", "--pair", $"{Content},{Style},{Style}", "--pair", $"{Content},{Style},{Content}", "--variant", "a=--size 32 --iterations 2",
             "--reference-weights", SharedData.PartialCaffeWeights, "--given-label", "reference", "--tile", "64", "-o", sheet],
            NoTorchCache);
        var exitCode = cli.WaitForExit();

        Assert.True(exitCode == 0, $"exit code {exitCode}: " + string.Join('\n', cli.ErrorLines));
        var rows = cli.OutputLines.Skip(1).Select(r => r.Split('\t')).ToList();
        Assert.Equal(["reference", "a", "reference", "a"], rows.Select(r => r[1]));
        Assert.Equal(["-", "resnet18", "-", "resnet18"], rows.Select(r => r[2]));
        Assert.Equal(0, double.Parse(rows[0][6], CultureInfo.InvariantCulture), 1e-3);
        Assert.Equal(0, double.Parse(rows[0][8], CultureInfo.InvariantCulture), 1e-3);
        Assert.Equal(0, double.Parse(rows[2][7], CultureInfo.InvariantCulture), 1e-3);
        Assert.Equal(8 + (4 * (64 + 8)), ImageFile.Load(sheet).Width);
    }

    [Theory]
    [InlineData("--variant", "nolabel", "--variant nolabel: expected LABEL=OPTIONS")]
    [InlineData("--variant", "x=--size 0", "--size must be at least 16")]
    [InlineData("--variant", "x=--bogus", "--variant x=--bogus: Unrecognized command or argument '--bogus'")]
    [InlineData("--reference-weights", "/nonexistent/vgg19.pth", "/nonexistent/vgg19.pth: no such weights file")]
    [InlineData("--reference-weights", "{photo}", "not a weight file")]
    [InlineData("--reference-weights", "{shallow}", "holds VGG-19 only up to conv2_1; --reference-weights needs it up to conv3_1")]
    [InlineData("--pair", "{photo},{photo},/nonexistent/given.png", "/nonexistent/given.png")]
    public void GivenABadVariantOrReference_WhenCompared_ThenOneLineSaysWhatIsWrongAndNoSheetIsWritten(string option, string value, string expected)
    {
        using var folder = new TempFolder();
        value = value.Replace("{photo}", Content, StringComparison.Ordinal).Replace("{shallow}", SharedData.Pth("vgg19-partial-zip.pth"), StringComparison.Ordinal);

        var (exitCode, errors) = CliProcess.Run(["compare", "--pair", $"{Content},{Style}", option, value, "-o", folder.File("sheet.png")]);

        Assert.Equal(Invalid, exitCode);
        Assert.Contains(expected, Assert.Single(errors), StringComparison.Ordinal);
        Assert.Empty(folder.Files());
    }

    private static string[] Small(string[] options) =>
        [.. options.Contains("--size") ? [] : new[] { "--size", "32" }, .. options.Contains("--iterations") ? [] : new[] { "--iterations", "2" }];

    private static List<double> Losses(IEnumerable<string> lines, string term) =>
        [.. lines.Select(l => Regex.Match(l, $@"^iteration \d+/\d+ .*\b{term} ([0-9.e+-]+)")).Where(m => m.Success).Select(m => double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture))];

    [GeneratedRegex(@"^(iteration \d+/\d+  (scale \d/\d \d+x\d+( tiles \d+)?  )?content \S+  style \S+  total \S+  \S+ it/s  ETA \d\d:\d\d:\d\d|scale \d/\d \d+x\d+ (whole|in tiles of \d+ px): \d+ iterations, [0-9.]+ s/iteration, resident [0-9.]+ GiB \(most so far [0-9.]+ GiB\)|neural-style: .+)$")]
    private static partial Regex OwnLine();

    [GeneratedRegex(@", seed (\d+)\)$")]
    private static partial Regex SeedLine();

    private static RgbImage HalfMask(bool leftWhite) =>
        new(64, 48, [.. Enumerable.Range(0, 64 * 48).SelectMany(p => Enumerable.Repeat((p % 64 < 32) == leftWhite ? (byte)255 : (byte)0, 3))]);
}
