using NeuralStyle.FastPainters;

namespace NeuralStyle.Tests.FastPainters;

public sealed class TrainingPhotosTests
{
    [Fact]
    public void GivenAManifest_WhenOpened_ThenItsPathsAreReadAgainstItsFolderAndItsCommentsAndBlankLinesSkipped()
    {
        using var folder = new TempFolder();
        var photos = TinyPainter.PhotoFolder(folder.Path, "photos");
        File.WriteAllLines(folder.File("photos.txt"), ["# mine", "photos/chelsea.png", "", $"  {Path.Combine(photos, "tubingen.jpg")}  "]);

        var opened = TrainingPhotos.Open(folder.File("photos.txt"), _ => { });

        Assert.Equal([Path.Combine(photos, "chelsea.png"), Path.Combine(photos, "tubingen.jpg")], opened.Files);
    }

    [Fact]
    public void GivenSixtyPhotos_WhenThreeAreHeldOutForPreviews_ThenEveryThirtiethIsTakenOutOfTraining()
    {
        using var folder = new TempFolder();
        var photos = Directory.CreateDirectory(folder.File("photos")).FullName;
        foreach (var i in Enumerable.Range(0, 60))
        {
            File.WriteAllText(Path.Combine(photos, $"{i:00}.jpg"), string.Empty);
        }

        var opened = TrainingPhotos.Open(photos, _ => { });
        var held = opened.HoldOut(3, every: 30);

        Assert.Equal(["00.jpg", "30.jpg"], held.Select(Path.GetFileName));
        Assert.Equal(58, opened.Files.Count);
        Assert.DoesNotContain(opened.Files, held.Contains);
    }

    [Fact]
    public void GivenAFolderThatDoesNotExist_WhenOpened_ThenItIsRefusedInOneLine()
    {
        var e = Assert.Throws<StyleTransferException>(() => TrainingPhotos.Open("/no/such/photos", _ => { }));

        Assert.Equal("/no/such/photos: no such folder or manifest", e.Message);
    }

    [Fact]
    public void GivenAFlatPhotoBesideATexturedOne_WhenCropsAreDrawn_ThenTheFlatOnesAreDrawnAgain()
    {
        using var folder = new TempFolder();
        var photos = Directory.CreateDirectory(folder.File("photos")).FullName;
        NeuralStyle.Images.ImageFile.SaveAtomically(new NeuralStyle.Images.RgbImage(96, 96, [.. Enumerable.Repeat((byte)128, 96 * 96 * 3)]), Path.Combine(photos, "a-sky.png"));
        File.Copy(TestImages.PhotoPath, Path.Combine(photos, "b-tubingen.jpg"));
        var opened = TrainingPhotos.Open(photos, _ => { });
        var random = new Random(1);
        var draws = 0;

        using var crops = opened.Crops(6, 64, 96, random, () => draws++ % 2);

        Assert.Equal([6, 3, 64, 64], crops.shape);
        Assert.All(Enumerable.Range(0, 6), i => Assert.True(crops[i].std().item<float>() > 12, $"crop {i} is flat"));
        Assert.True(draws >= 12, "no flat crop was drawn and refused");
    }
}
