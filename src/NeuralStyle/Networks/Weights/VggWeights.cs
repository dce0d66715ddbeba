namespace NeuralStyle.Networks.Weights;

/// <summary>
/// VGG-19 or VGG-16 convolution filters read from a file, checked and named by layer (conv1_1 …), with
/// the network and the input convention that the file's keys imply.
/// </summary>
public sealed class VggWeights
{
    private VggWeights(string path, VggLayout layout, InputConvention convention, IReadOnlyDictionary<string, (WeightTensor Weight, WeightTensor Bias)> layers)
    {
        Path = path;
        Layout = layout;
        Convention = convention;
        Layers = layers;
    }

    /// <summary>The file the weights came from.</summary>
    public string Path { get; }

    /// <summary>Which VGG the file holds, by its convolutions: VGG-19 or VGG-16.</summary>
    public VggLayout Layout { get; }

    /// <summary>What input the filters expect: Caffe keys (<c>conv1_1.weight</c>) mean BGR 0–255 minus mean; torchvision keys (<c>features.0.weight</c>) RGB normalised.</summary>
    public InputConvention Convention { get; }

    /// <summary>The convolutions the file holds, from conv1_1 on without gaps, each with weight [out, in, 3, 3] and bias [out].</summary>
    public IReadOnlyDictionary<string, (WeightTensor Weight, WeightTensor Bias)> Layers { get; }

    /// <summary>The deepest convolution the file holds.</summary>
    public string DeepestConvolution => Layout.Convolutions.Last(c => Layers.ContainsKey(c.Name)).Name;

    /// <summary>Reads and checks a weight file: safetensors, a PyTorch <c>.pth</c> in the zip or legacy format, a Caffe <c>.caffemodel</c> (VGG_ILSVRC_19_layers), or an ONNX VGG-19 (the ONNX model zoo's).</summary>
    /// <exception cref="StyleTransferException">The file is missing, unreadable, lacks conv1_1, has gaps, wrong shapes or non-finite values.</exception>
    public static VggWeights Load(string path)
    {
        if (!File.Exists(path))
        {
            throw new StyleTransferException($"{path}: no such weights file");
        }

        var head = new byte[16];
        using (var file = File.OpenRead(path))
        {
            head = head[..file.Read(head)];
        }

        // torchvision files carry the classifier too (about 400 MB); read only the convolutions.
        static bool Features(string key) => !key.StartsWith("classifier", StringComparison.Ordinal);
        var tensors = SafetensorsFile.HasSignature(head) ? SafetensorsFile.Read(path)
            : TorchCheckpointFile.HasSignature(head) ? TorchCheckpointFile.Read(path, Features)
            : CaffeModelFile.IsNamedAsOne(path) ? CaffeModelFile.ReadVgg(path)
            : Onnx.OnnxVgg.IsNamedAsOne(path) ? Onnx.OnnxVgg.Read(path)
            : throw new StyleTransferException($"{path}: not a weight file (expected safetensors, a PyTorch .pth, a Caffe .caffemodel or an ONNX VGG)");
        return FromTensors(path, tensors);
    }

    /// <summary>Checks and names tensors already read from <paramref name="path"/>.</summary>
    /// <exception cref="StyleTransferException">The tensors are not VGG-19 convolutions from conv1_1 on, with the right shapes and finite values.</exception>
    public static VggWeights FromTensors(string path, IReadOnlyDictionary<string, WeightTensor> tensors)
    {
        var caffe = tensors.ContainsKey("conv1_1.weight");
        if (!caffe && !tensors.ContainsKey("features.0.weight"))
        {
            throw new StyleTransferException($"{path}: no VGG-19 or VGG-16 weights found (expected keys conv1_1.weight … or torchvision's features.0.weight …)");
        }

        // VGG-16 goes from block 3's third convolution straight to block 4: it has no conv3_4, which
        // torchvision's VGG-19 keeps at features.16 and VGG-16's block 4 begins at features.17.
        var layout = caffe
            ? !tensors.ContainsKey("conv3_4.weight") && tensors.ContainsKey("conv4_1.weight") ? VggLayout.Vgg16 : VggLayout.Vgg19
            : !tensors.ContainsKey("features.16.weight") && tensors.ContainsKey("features.17.weight") ? VggLayout.Vgg16 : VggLayout.Vgg19;
        var (convention, keyOf) = caffe
            ? (InputConvention.CaffeBgr, (Func<string, string>)(name => name))
            : (InputConvention.TorchvisionRgb, name => $"features.{layout.TorchvisionFeatureIndex[name]}");

        var layers = new Dictionary<string, (WeightTensor, WeightTensor)>();
        string? missing = null;
        foreach (var (name, inChannels, outChannels) in layout.Convolutions)
        {
            var key = keyOf(name);
            var found = tensors.TryGetValue(key + ".weight", out var weight) & tensors.TryGetValue(key + ".bias", out var bias);
            if (!found)
            {
                missing ??= name;
                continue;
            }

            if (missing is not null)
            {
                throw new StyleTransferException($"{path}: has {name} but lacks {missing} ({key}.weight/.bias) before it");
            }

            Check(path, layout, name, key + ".weight", weight!, [outChannels, inChannels, 3, 3]);
            Check(path, layout, name, key + ".bias", bias!, [outChannels]);
            layers[name] = (weight!, bias!);
        }

        return new VggWeights(path, layout, convention, layers);
    }

    private static void Check(string path, VggLayout layout, string layer, string key, WeightTensor tensor, long[] expected)
    {
        if (!tensor.Shape.SequenceEqual(expected))
        {
            throw new StyleTransferException($"{path}: {key} ({layer}) has shape {tensor.ShapeText}, {layout.Title} needs [{string.Join(", ", expected)}]");
        }

        if (tensor.Values.Any(v => !float.IsFinite(v)))
        {
            throw new StyleTransferException($"{path}: {key} ({layer}) holds non-finite values (NaN or infinity)");
        }
    }
}
