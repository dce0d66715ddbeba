using System.Text.Json.Nodes;
using NeuralStyle.Images;
using NeuralStyle.Jobs;
using NeuralStyle.Networks;

namespace NeuralStyle.Tests.Jobs;

public sealed class JobStoreTests
{
    [Fact]
    public void GivenARecordWhoseIdIsNotItsFolders_WhenTheStoreIsOpenedOrReadsIt_ThenItIsNoJobOfTheStores()
    {
        using var data = new TempFolder();
        var job = new JobStore(data.Path).Create(ImageFile.Resize(TestImages.Photo, 32, 24), StyleSources.Of(ImageFile.Resize(TestImages.Painting, 32, 25)), new StyleTransferOptions { Network = NetworkKind.ResNet18, Size = 32 });
        var record = Path.Combine(data.Path, "jobs", job.Id, "job.json");
        var steered = JsonNode.Parse(File.ReadAllText(record))!;
        steered["id"] = "../../outside";
        File.WriteAllText(record, steered.ToJsonString());

        var reopened = new JobStore(data.Path);

        Assert.Empty(reopened.All);
        Assert.Null(reopened.ReadFromDisk(job.Id));
        Assert.False(Directory.Exists(Path.Combine(data.Path, "..", "outside")));
    }
}
