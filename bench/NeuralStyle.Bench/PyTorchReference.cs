using System.Diagnostics;
using System.Globalization;
using System.Text.Json;

namespace NeuralStyle.Bench;

/// <summary>Runs the same VGG-19 loop in PyTorch (bench/pytorch/vgg19_gatys_reference.py) in the same call, so both sides are timed on the same machine.</summary>
internal static class PyTorchReference
{
    public static void Run(string python, Settings settings)
    {
        var script = Path.Combine(AppContext.BaseDirectory, "pytorch", "vgg19_gatys_reference.py");
        var start = new ProcessStartInfo(python)
        {
            ArgumentList = { script, "--sizes", string.Join(',', settings.Sizes), "--evaluations", settings.Iterations.ToString(CultureInfo.InvariantCulture), "--warmup", settings.Warmup.ToString(CultureInfo.InvariantCulture), "--device", settings.Device },
            RedirectStandardOutput = true,
        };
        // As many threads as ours use: some PyTorch builds (Debian's) start with one.
        start.ArgumentList.Add("--threads");
        start.ArgumentList.Add(TorchSharp.torch.get_num_threads().ToString(CultureInfo.InvariantCulture));

        using var process = Process.Start(start) ?? throw new InvalidOperationException($"{python}: could not start");
        while (process.StandardOutput.ReadLine() is { } line)
        {
            var r = JsonDocument.Parse(line).RootElement;
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"PyTorch {r.GetProperty("torch").GetString()} ({r.GetProperty("device").GetString()}, {r.GetProperty("threads").GetInt32()} threads), VGG-19 L-BFGS {r.GetProperty("size").GetInt32()}x{r.GetProperty("size").GetInt32()}: {r.GetProperty("min").GetDouble(),8:0.000} {r.GetProperty("median").GetDouble(),11:0.000} {r.GetProperty("max").GetDouble(),8:0.000} s/it"));
        }

        process.WaitForExit();
        if (process.ExitCode != 0)
        {
            Console.WriteLine($"PyTorch reference: {python} exited with {process.ExitCode}");
        }
    }
}
