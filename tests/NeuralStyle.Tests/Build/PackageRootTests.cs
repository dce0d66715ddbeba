using System.Text.Json;

namespace NeuralStyle.Tests.Build;

// NuGet gives its package root a trailing slash when it picks the default folder and none when it
// comes from NUGET_PACKAGES (as CI systems and Docker images set it). Evaluated, not restored: the
// paths the build copies the built-in network from must hold in both forms.
public sealed class PackageRootTests
{
    [Theory]
    [InlineData("/ci/nuget")]
    [InlineData("/ci/nuget/")]
    public void GivenAPackageRootWithOrWithoutItsTrailingSlash_WhenTheLibraryIsEvaluated_ThenTheModelFilesAreInsideThatPackageRoot(string root)
    {
        var (exitCode, output, error) = MsBuild.OnLibrary("-getItem:Content", $"-p:NuGetPackageRoot={root}");

        Assert.True(exitCode == 0, output + error);
        var models = JsonDocument.Parse(output).RootElement.GetProperty("Items").GetProperty("Content").EnumerateArray()
            .Select(item => (Path: item.GetProperty("Identity").GetString()!, Link: item.GetProperty("Link").GetString()!))
            .ToList();
        Assert.Equal(
            [
                ("/ci/nuget/microsoft.ml.dnnimagefeaturizer.resnet18/0.23.1/tools/DnnImageModels/ResNet18Onnx/ResNet18.onnx", "models/resnet18/ResNet18.onnx"),
                ("/ci/nuget/microsoft.ml.dnnimagefeaturizer.resnet18/0.23.1/tools/DnnImageModels/ResNetPrepOnnx/ResNetPreprocess.onnx", "models/resnet18/ResNetPreprocess.onnx"),
            ],
            models);
    }
}
