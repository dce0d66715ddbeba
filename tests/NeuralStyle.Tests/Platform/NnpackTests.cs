using NeuralStyle.Networks;
using NeuralStyle.Platform;

namespace NeuralStyle.Tests.Platform;

public sealed class NnpackTests
{
    // libtorch's own switch, read back from libtorch: on by default, off once a network exists.
    [Fact]
    public void GivenANetwork_WhenItHasBeenBuilt_ThenLibtorchNoLongerAsksForNnpack()
    {
        using var network = BuiltInResNet18.Load();

        Assert.Equal(false, Nnpack.Enabled());
    }
}
