using System.CommandLine;
using System.Security.Cryptography;

namespace NeuralStyle.Cli.Web;

/// <summary><c>neural-style serve [--urls URL] [--data DIR]</c>: the web app.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string>("--urls") { Description = "Address(es) to listen on, separated by ';'. Beyond the loopback the server requires the access token it prints.", DefaultValueFactory = _ => "http://127.0.0.1:5000" };
        var data = new Option<string>("--data") { Description = "Folder for jobs, their pictures and results.", DefaultValueFactory = _ => Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData), "neural-style") };
        var command = new Command("serve", "Serves the web app: drop a photo and paintings, watch the picture form, keep every result.") { urls, data };
        command.SetAction(result => StyleCommand.Guarded(() => Run(result.GetValue(urls)!, result.GetValue(data)!)));
        return command;
    }

    private static int Run(string urls, string data)
    {
        var token = ServeSettings.IsLoopbackOnly(urls) ? null : Convert.ToHexStringLower(RandomNumberGenerator.GetBytes(16));
        WebApplication app;
        try
        {
            app = WebApp.Build(new ServeSettings(urls, data, token));
            app.Start();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or UriFormatException or FormatException or InvalidOperationException)
        {
            throw new StyleTransferException($"serve: cannot start ({e.Message})", e);
        }

        foreach (var address in app.Urls)
        {
            Console.Error.WriteLine(token is null ? $"neural-style: serving {address} (jobs in {Path.GetFullPath(data)})" : $"neural-style: serving {address}/?token={token} (jobs in {Path.GetFullPath(data)})");
        }

        app.WaitForShutdown();
        return 0;
    }
}
