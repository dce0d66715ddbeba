namespace NeuralStyle.Optimization;

/// <summary>
/// Reports on the calling thread as each record arrives, unlike <see cref="Progress{T}"/>, which posts
/// to a synchronization context and so can deliver records late or out of order.
/// </summary>
/// <typeparam name="T">The record reported.</typeparam>
/// <param name="report">Called with each record.</param>
public sealed class SynchronousProgress<T>(Action<T> report) : IProgress<T>
{
    /// <inheritdoc />
    public void Report(T value) => report(value);
}
