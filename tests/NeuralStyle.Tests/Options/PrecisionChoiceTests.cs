namespace NeuralStyle.Tests.Options;

public sealed class PrecisionChoiceTests
{
    [Theory]
    [InlineData(Precision.Float32)]
    [InlineData(Precision.BFloat16)]
    public void GivenAPrecisionNamed_WhenResolved_ThenItIsKeptOnEveryDevice(Precision precision)
    {
        Assert.Equal(precision, PrecisionChoice.Resolve(precision, ComputeDevice.Cpu));
        Assert.Equal(precision, PrecisionChoice.Resolve(precision, ComputeDevice.Parse("cuda:0")));
    }

    [Fact]
    public void GivenAuto_WhenResolvedForTheCpu_ThenItIsBfloat16ExactlyWhenTheCpuListsAvx512Bf16OrAmx()
    {
        var flags = File.Exists("/proc/cpuinfo") ? File.ReadAllText("/proc/cpuinfo") : string.Empty;
        var native = flags.Contains(" avx512_bf16", StringComparison.Ordinal) || flags.Contains(" amx_bf16", StringComparison.Ordinal);

        Assert.Equal(native ? Precision.BFloat16 : Precision.Float32, PrecisionChoice.Resolve(Precision.Auto, ComputeDevice.Cpu));
    }

    [Fact]
    public void GivenAutoAndAGpuWhoseRuntimeCannotBeLoaded_WhenResolved_ThenItIsFloat32()
    {
        // This build carries the CPU libtorch, without CUDA's runtime library.
        Assert.Equal(Precision.Float32, PrecisionChoice.Resolve(Precision.Auto, ComputeDevice.Parse("cuda:0")));
    }

    [Fact]
    public void GivenTheDefaultOptions_WhenRunOnTheCpu_ThenTheResultNamesThePrecisionAutoChose()
    {
        var result = StyleTransfer.Run(TestImages.Photo, TestImages.Painting, new StyleTransferOptions { Network = NeuralStyle.Networks.NetworkKind.ResNet18, Size = 32, Iterations = 1, Seed = 1 });

        Assert.Equal(Precision.Auto, new StyleTransferOptions().Precision);
        Assert.Equal(PrecisionChoice.Resolve(Precision.Auto, ComputeDevice.Cpu), result.Precision);
    }
}
