using NeuralStyle.Networks;
using NeuralStyle.Networks.Weights;

namespace NeuralStyle.Bench;

/// <summary>VGG-19 or VGG-16 with random filters: its speed does not depend on their values.</summary>
internal static class RandomVgg
{
    public static VggWeights Weights(VggLayout layout)
    {
        var random = new Random(20151126);
        var tensors = new Dictionary<string, WeightTensor>();
        foreach (var (name, inChannels, outChannels) in layout.Convolutions)
        {
            var fanIn = inChannels * 9;
            var values = new float[outChannels * fanIn];
            for (var i = 0; i < values.Length; i++)
            {
                // Box–Muller; He-normal scale keeps activations in a realistic range through 16 layers.
                values[i] = (float)(Math.Sqrt(-2 * Math.Log(1 - random.NextDouble())) * Math.Cos(2 * Math.PI * random.NextDouble()) * Math.Sqrt(2.0 / fanIn));
            }

            tensors[name + ".weight"] = new WeightTensor([outChannels, inChannels, 3, 3], values);
            tensors[name + ".bias"] = new WeightTensor([outChannels], new float[outChannels]);
        }

        return VggWeights.FromTensors("random He-normal", tensors);
    }
}
