using NeuralStyle.Quality;
using static TorchSharp.torch;

namespace NeuralStyle.Tests.Quality;

public sealed class GridScoreTests
{
    private static Tensor Photo() => TestImages.Tensor(TestImages.Photo, 256, 192);

    [Fact]
    public void GivenANaturalPhoto_WhenScored_ThenItIsWellBelowTheGridThreshold()
    {
        using var scope = NewDisposeScope();

        Assert.InRange(GridScore.Of(Photo()), 0, 60);
    }

    [Theory]
    [InlineData(2, 0)]
    [InlineData(0, 2)]
    [InlineData(4, 4)]
    [InlineData(8, 0)]
    [InlineData(8, 8)]
    public void GivenAFaintPeriodicPatternOnThePhoto_WhenScored_ThenTheScoreRisesFarAboveTheThreshold(int rowPeriod, int columnPeriod)
    {
        using var scope = NewDisposeScope();
        var rows = rowPeriod == 0 ? zeros(192, 1) : ((arange(192) % rowPeriod) < rowPeriod / 2).to(float32).reshape(192, 1);
        var columns = columnPeriod == 0 ? zeros(1, 256) : ((arange(256) % columnPeriod) < columnPeriod / 2).to(float32).reshape(1, 256);
        var pattern = (rowPeriod == 0 || columnPeriod == 0 ? rows + columns : rows * columns) * 12;

        var score = GridScore.Of(Photo() + pattern);

        Assert.True(score > 400, $"score {score}");
    }

    [Fact]
    public void GivenAnImage_WhenItsBrightnessIsShifted_ThenTheScoreStaysTheSame()
    {
        using var scope = NewDisposeScope();
        var photo = Photo();

        Assert.Equal(GridScore.Of(photo), GridScore.Of(photo + 20), 1e-6);
    }
}
