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

    [Fact]
    public async Task GivenUploads_WhenOneIsNotAPainter_ThenTheServerRefusesItInOneLineAndKeepsOnlyThePainterUnderAFreeName()
    {
        using var data = new TempFolder();
        await using var server = await TestServer.Start(data.Path);
        var notes = data.File("notes.onnx");
        await File.WriteAllTextAsync(notes, "not a model");
        async Task<HttpResponseMessage> Upload(string file, string name = "")
        {
            using var form = new MultipartFormDataContent { { TestServer.File(file), "painter", Path.GetFileName(file) }, { new StringContent(name), "name" } };
            return await server.Client.PostAsync("/api/painters", form);
        }

        using var text = await Upload(notes);
        using var classifier = await Upload(BuiltInResNet18.ModelPath);
        using var badName = await Upload(tiny.File, "../starry");
        using var added = await Upload(tiny.File, "starry");
        using var again = await Upload(tiny.File, "starry");

        Assert.Equal(HttpStatusCode.BadRequest, text.StatusCode);
        Assert.Matches(@"^notes\.onnx: not a readable ONNX model \([^\n]+\)$", await TestServer.ErrorOf(text));
        Assert.Equal(HttpStatusCode.BadRequest, classifier.StatusCode);
        Assert.Matches(@"^ResNet18\.onnx: not a painter: a painter takes one picture \[N, 3, H, W\] and gives one; [^\n]+$", await TestServer.ErrorOf(classifier));
        Assert.Equal((HttpStatusCode.BadRequest, "'../starry' cannot name a painter: 1 to 64 letters, digits, '-' or '_'"), (badName.StatusCode, await TestServer.ErrorOf(badName)));
        Assert.Equal(HttpStatusCode.Created, added.StatusCode);
        Assert.Equal((HttpStatusCode.Conflict, "there is a painter starry already"), (again.StatusCode, await TestServer.ErrorOf(again)));
        Assert.Equal(["starry.onnx"], Directory.GetFiles(data.File("painters")).Select(Path.GetFileName));
        var listed = await server.Client.GetFromJsonAsync<JsonElement>("/api/painters");
        Assert.Equal("starry", Assert.Single(listed.EnumerateArray()).GetProperty("name").GetString());
        Assert.Equal(await File.ReadAllBytesAsync(tiny.File), await server.Client.GetByteArrayAsync("/api/painters/starry/file"));
    }

    [Fact]
    public async Task GivenAServerWithPeople_WhenOneWhoIsNotAnAdminUploadsAPainter_ThenItIsRefusedAndAnAdminsIsTaken()
    {
        using var data = new TempFolder();
        var users = new NeuralStyle.Cli.Web.Users.UserStore(data.Path);
        var (ana, teacher) = (users.Add("ana", admin: false), users.Add("teacher", admin: true));
        await using var server = await TestServer.Start(data.Path);
        async Task<HttpResponseMessage> Upload(string token)
        {
            using var form = new MultipartFormDataContent { { TestServer.File(tiny.File), "painter", "starry.onnx" } };
            using var client = server.ClientWith(token);
            return await client.PostAsync("/api/painters", form);
        }

        using var refused = await Upload(ana);
        using var taken = await Upload(teacher);

        Assert.Equal((HttpStatusCode.Forbidden, "only an admin adds a painter's file to this server; train one from your paintings instead"), (refused.StatusCode, await TestServer.ErrorOf(refused)));
        Assert.Equal(HttpStatusCode.Created, taken.StatusCode);
    }
}
