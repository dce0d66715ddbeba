using System.Net;
using System.Net.Http.Json;
using System.Text.Json;
using NeuralStyle.Images;
using NeuralStyle.Networks;
using NeuralStyle.Tests.FastPainters;

namespace NeuralStyle.Tests.Cli.Web;

[Collection(TinyPainterCollection.Name)]
public sealed class PaintersApiTests(TinyPainter tiny)
{
    [Fact]
    public async Task GivenAPaintersFolder_WhenListed_ThenEachPainterIsOfferedWithItsPaintingsAndAFileThatIsNotAPainterIsNot()
    {
        using var data = new TempFolder();
        var painters = Directory.CreateDirectory(data.File("painters")).FullName;
        File.Copy(tiny.File, Path.Combine(painters, "starry.onnx"));
        File.Copy(BuiltInResNet18.ModelPath, Path.Combine(painters, "classifier.onnx"));
        await using var server = await TestServer.Start(data.Path);

        var listed = await server.Client.GetFromJsonAsync<JsonElement>("/api/painters");

        var only = Assert.Single(listed.EnumerateArray());
        Assert.Equal("starry", only.GetProperty("name").GetString());
        Assert.Equal(1, only.GetProperty("styles").GetInt32());
        Assert.Equal("starry_night.jpg", only.GetProperty("paintings")[0].GetString());
    }

    [Fact]
    public async Task GivenAPainter_WhenAPhotoIsPosted_ThenThePictureComesBackInTheAnswerAtTheSizeAsked()
    {
        using var data = new TempFolder();
        File.Copy(tiny.File, Path.Combine(Directory.CreateDirectory(data.File("painters")).FullName, "starry.onnx"));
        await using var server = await TestServer.Start(data.Path);
        using var form = new MultipartFormDataContent { { TestServer.File(TestImages.PhotoPath), "photo", "photo.jpg" }, { new StringContent("96"), "size" } };

        using var response = await server.Client.PostAsync("/api/painters/starry/pictures", form);

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("image/png", response.Content.Headers.ContentType?.MediaType);
        var picture = data.File("answer.png");
        await File.WriteAllBytesAsync(picture, await response.Content.ReadAsByteArrayAsync());
        Assert.Equal((96, 72), (ImageFile.Load(picture).Width, ImageFile.Load(picture).Height));
    }

    [Fact]
    public async Task GivenNoSuchPainterOrABlendItCannotPaint_WhenAPhotoIsPosted_ThenTheAnswerSaysWhy()
    {
        using var data = new TempFolder();
        File.Copy(tiny.File, Path.Combine(Directory.CreateDirectory(data.File("painters")).FullName, "starry.onnx"));
        await using var server = await TestServer.Start(data.Path);
        MultipartFormDataContent Form(string blend) => new() { { TestServer.File(TestImages.PhotoPath), "photo", "photo.jpg" }, { new StringContent("64"), "size" }, { new StringContent(blend), "styleBlend" } };

        using var missing = await server.Client.PostAsync("/api/painters/monet/pictures", Form(""));
        using var blend = await server.Client.PostAsync("/api/painters/starry/pictures", Form("1,1"));

        Assert.Equal((HttpStatusCode.NotFound, "no painter monet"), (missing.StatusCode, await TestServer.ErrorOf(missing)));
        Assert.Equal((HttpStatusCode.BadRequest, "styleBlend gives 2 shares; this painter holds 1 style"), (blend.StatusCode, await TestServer.ErrorOf(blend)));
    }
}
