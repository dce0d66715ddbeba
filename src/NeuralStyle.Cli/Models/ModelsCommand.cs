using System.CommandLine;
using System.Globalization;
using NeuralStyle.Cli.Video;
using NeuralStyle.Networks;
using NeuralStyle.Networks.Weights;

namespace NeuralStyle.Cli.Models;

/// <summary><c>neural-style models list [FILE ...]</c> and <c>neural-style models download vgg19 [--url URL] [--sha256 HEX]</c>.</summary>
internal static class ModelsCommand
{
    public static Command Create() => new("models", "The networks' weight files: which ones are found where, and fetching the paper's VGG-19 into the PyTorch cache.")
    {
        ListCommand(),
        DownloadCommand(),
    };

    private static Command ListCommand()
    {
        var files = new Argument<string[]>("FILE") { Description = "Weight files to look at besides the PyTorch cache's.", Arity = ArgumentArity.ZeroOrMore };
        var command = new Command("list", "Lists the weight files in the PyTorch cache and those given: what each holds, or why it cannot be used.") { files };
        command.SetAction(result => StyleCommand.Guarded(() => List(result.GetValue(files) ?? [])));
        return command;
    }

    private static Command DownloadCommand()
    {
        var name = new Argument<string>("NETWORK") { Description = "vgg19, vgg16, or opencv (OpenCV's native library, for video's optical flow)" };
        var url = new Option<string?>("--url") { Description = "Fetch from this address instead of torchvision's or nuget.org's (a mirror)." };
        var sha256 = new Option<string?>("--sha256") { Description = "The file's whole SHA-256 (hex) to check it against; default: the digits torchvision's file name carries (opencv: the known package's whole hash)." };
        var command = new Command("download", "Fetches a network's weights into the PyTorch cache, where every command finds them, or OpenCV's library for video into the user's cache: with a progress bar, resuming a dropped download, checked by SHA-256.") { name, url, sha256 };
        command.SetAction(result => StyleCommand.Guarded(() => result.GetValue(name)!.Equals("opencv", StringComparison.OrdinalIgnoreCase)
            ? FetchOpenCv(result.GetValue(url), result.GetValue(sha256))
            : Fetch(KnownModels.Named(result.GetValue(name)!), result.GetValue(url), result.GetValue(sha256))));
        return command;
    }

    private static int List(string[] given)
    {
        var folder = WeightsLocator.CheckpointFolder();
        var cached = Directory.Exists(folder) ? Directory.GetFiles(folder).Where(f => !f.EndsWith(".partial", StringComparison.Ordinal)).Order(StringComparer.Ordinal) : Enumerable.Empty<string>();
        Console.WriteLine($"PyTorch cache: {folder}{(Directory.Exists(folder) ? "" : " (not there)")}");
        foreach (var file in cached.Concat(given))
        {
            Console.WriteLine($"  {file}: {Describe(file)}");
        }

        var chosen = WeightsLocator.Cached();
        Console.WriteLine(chosen is null
            ? "Without --weights, VGG-19 jobs find no weights (run `neural-style models download vgg19`), and auto takes the built-in resnet18."
            : $"Without --weights, VGG-19 comes from {chosen}.");
        if (WeightsLocator.Cached(NetworkKind.Vgg16) is { } vgg16)
        {
            Console.WriteLine($"Without --weights, --network vgg16 takes {vgg16}.");
        }

        Console.WriteLine(OpenCvRuntime.Location() is { } opencv
            ? $"Video's optical flow takes OpenCV from {opencv}."
            : "Video's optical flow finds no OpenCV library (run `neural-style models download opencv`, or give video --flow).");
        return 0;
    }

    // What a file holds, as the painting commands would read it, or the line that says why they cannot.
    private static string Describe(string file)
    {
        try
        {
            var weights = VggWeights.Load(file);
            var layout = weights.Convention == InputConvention.CaffeBgr ? "Caffe layout, BGR input" : "torchvision layout, RGB input";
            return string.Create(CultureInfo.InvariantCulture, $"{weights.Layout.Title} ({layout}), conv1_1 … {weights.DeepestConvolution}, {new FileInfo(file).Length / 1e6:0} MB");
        }
        catch (StyleTransferException e)
        {
            return $"not usable: {StyleCommand.MessageAbout(file, e)}";
        }
    }

    private static int Fetch(KnownModels.Model model, string? url, string? sha256)
    {
        RequireAddressAndHash(url, sha256);
        var folder = WeightsLocator.CheckpointFolder();
        var destination = Path.Combine(folder, model.FileName);
        if (File.Exists(destination))
        {
            Console.Error.WriteLine($"neural-style: {destination} is there already");
            return 0;
        }

        Directory.CreateDirectory(folder);
        var expected = sha256?.ToLowerInvariant();
        var download = new Download(url is null ? model.Address : new Uri(url), destination, hash => expected is null ? hash.StartsWith(model.Sha256Prefix, StringComparison.Ordinal) : hash == expected, expected ?? $"{model.Sha256Prefix}…");
        if (Run(download, destination) is { } stopped)
        {
            return stopped;
        }

        Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"neural-style: wrote {destination} ({new FileInfo(destination).Length / 1e6:0.0} MB, SHA-256 checked)"));
        return 0;
    }

    // The runtime package from nuget.org (or --url), checked, its library for this platform taken out into the cache, the package deleted.
    private static int FetchOpenCv(string? url, string? sha256)
    {
        RequireAddressAndHash(url, sha256);
        if (OpenCvRuntime.Location() is { } found)
        {
            Console.Error.WriteLine($"neural-style: {found} is there already");
            return 0;
        }

        var platform = OpenCvRuntime.Platform;
        var known = OpenCvRuntime.Known.TryGetValue(platform, out var k) ? k : default;
        if (known.Package is null && (url is null || sha256 is null))
        {
            throw new StyleTransferException($"models download opencv: OpenCvSharp publishes no runtime for {platform} that this program knows (it knows {string.Join(", ", OpenCvRuntime.Known.Keys)}); give --url of an OpenCvSharp {OpenCvRuntime.Version} runtime package (.nupkg) for {platform} and its --sha256, or give video --flow FOLDER");
        }

        var id = known.Package?.ToLowerInvariant();
        var address = url is null ? new Uri($"https://api.nuget.org/v3-flatcontainer/{id}/{OpenCvRuntime.Version}/{id}.{OpenCvRuntime.Version}.nupkg") : new Uri(url);
        var expected = (sha256 ?? known.Sha256).ToLowerInvariant();
        var folder = OpenCvRuntime.CacheFolder();
        Directory.CreateDirectory(folder);
        var package = Path.Combine(folder, "runtime.nupkg");
        if (Run(new Download(address, package, hash => hash == expected, expected), package) is { } stopped)
        {
            return stopped;
        }

        try
        {
            var library = OpenCvRuntime.Install(package, folder);
            Console.Error.WriteLine(string.Create(CultureInfo.InvariantCulture, $"neural-style: wrote {library} ({new FileInfo(library).Length / 1e6:0.0} MB, from a package whose SHA-256 was checked)"));
            return 0;
        }
        finally
        {
            File.Delete(package);
        }
    }

    private static void RequireAddressAndHash(string? url, string? sha256)
    {
        if (url is not null && !(Uri.TryCreate(url, UriKind.Absolute, out var given) && given.Scheme is "http" or "https"))
        {
            throw new StyleTransferException($"--url {url}: expected an http:// or https:// address");
        }

        if (sha256 is not null && (sha256.Length != 64 || !sha256.All(Uri.IsHexDigit)))
        {
            throw new StyleTransferException($"--sha256 {sha256}: expected 64 hexadecimal digits");
        }
    }

    // Runs the download with its progress bar; the exit code when it was stopped, null when the file is there.
    private static int? Run(Download download, string destination)
    {
        using var stop = new StopSignals("neural-style: stopping; the part fetched is kept, and the same command resumes from there");
        Console.Error.WriteLine($"neural-style: fetching {download.Address} into {destination}");
        try
        {
            DownloadProgress.Show(progress => download.Run(progress, stop.Token));
            return null;
        }
        catch (OperationCanceledException)
        {
            Console.Error.WriteLine($"neural-style: stopped; the part fetched is kept in {destination}.partial, and the same command resumes from there");
            return stop.ExitCode;
        }
    }
}
