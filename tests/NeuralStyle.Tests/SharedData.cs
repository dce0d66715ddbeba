namespace NeuralStyle.Tests;

/// <summary>Paths into the repository and into <c>../shared</c> beside it (reference data that stays outside the repository).</summary>
internal static class SharedData
{
    public static string RepositoryRoot { get; } = FindRoot();

    public static string Shared { get; } = Environment.GetEnvironmentVariable("NEURALSTYLE_SHARED")
        ?? Path.GetFullPath(Path.Combine(RepositoryRoot, "..", "shared"));

    public static string Image(string name) => Path.Combine(Shared, "images", name);

    /// <summary>A file of the repository's <c>samples/</c> (the README's cat and stain, the masks).</summary>
    public static string Sample(string name) => Path.Combine(RepositoryRoot, "samples", name);

    public static string Reference(string name) => Path.Combine(Shared, "reference", name);

    /// <summary>A state dict written by <c>torch.save</c> (reference/pth: torchvision's key layout, conv1_1 … conv2_1).</summary>
    public static string Pth(string name) => Path.Combine(Shared, "reference", "pth", name);

    /// <summary>Real Caffe VGG-19 filters, conv1_1 … conv3_4.</summary>
    public static string PartialCaffeWeights => Path.Combine(Shared, "weights", "vgg19-caffe-conv1_1-conv3_4.safetensors");

    /// <summary>Real filters to conv3_4 and seeded random ones for conv4_1 … conv5_1.</summary>
    public static string TestWeights => Reference("vgg19-test-weights.safetensors");

    private static string FindRoot()
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NeuralStyle.slnx")))
            {
                return dir.FullName;
            }
        }

        throw new InvalidOperationException("NeuralStyle.slnx not found above " + AppContext.BaseDirectory);
    }
}
