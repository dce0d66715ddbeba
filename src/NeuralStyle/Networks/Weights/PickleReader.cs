using System.Buffers.Binary;
using System.Numerics;
using System.Text;

namespace NeuralStyle.Networks.Weights;

/// <summary>A Python global (<c>module.name</c>) named in a pickle stream.</summary>
/// <param name="Module">The module, e.g. <c>torch._utils</c>.</param>
/// <param name="Name">The name inside the module, e.g. <c>_rebuild_tensor_v2</c>.</param>
internal sealed record PickleGlobal(string Module, string Name)
{
    public override string ToString() => Module + "." + Name;
}

/// <summary>
/// A small unpickler for the subset of the pickle protocol (0–5) that <c>torch.save</c> writes.
/// It never imports or runs anything: globals come back as <see cref="PickleGlobal"/> and calls of
/// them go to the caller's <c>reduce</c> function, which decides what each one builds.
/// </summary>
internal sealed class PickleReader
{
    private static readonly object Mark = new();

    private readonly Stream stream;
    private readonly Func<PickleGlobal, object?[], object?> reduce;
    private readonly Func<object?, object?> persistentLoad;
    private readonly List<object?> stack = [];
    private readonly Dictionary<long, object?> memo = [];

    /// <summary>Reads one pickle from <paramref name="stream"/>, leaving it just past the STOP opcode.</summary>
    public PickleReader(Stream stream, Func<PickleGlobal, object?[], object?> reduce, Func<object?, object?> persistentLoad)
    {
        this.stream = stream;
        this.reduce = reduce;
        this.persistentLoad = persistentLoad;
    }

    /// <summary>Runs the pickle program and returns the object it builds.</summary>
    /// <exception cref="InvalidDataException">The stream ends early or holds an opcode outside the subset.</exception>
    public object? Load()
    {
        while (true)
        {
            var op = ReadByte();
            switch (op)
            {
                case 0x80: ReadByte(); break; // PROTO
                case 0x95: ReadBytes(8); break; // FRAME
                case (byte)'.': return Pop(); // STOP
                case (byte)'(': stack.Add(Mark); break;
                case (byte)'}': stack.Add(new Dictionary<object, object?>()); break;
                case (byte)']': stack.Add(new List<object?>()); break;
                case (byte)')': stack.Add(Array.Empty<object?>()); break;
                case (byte)'t': stack.Add(PopToMark().ToArray()); break;
                case 0x85: stack.Add(new[] { Pop() }); break;
                case 0x86: { var b = Pop(); var a = Pop(); stack.Add(new[] { a, b }); break; }
                case 0x87: { var c = Pop(); var b = Pop(); var a = Pop(); stack.Add(new[] { a, b, c }); break; }
                case (byte)'q': memo[ReadByte()] = Peek(); break; // BINPUT
                case (byte)'r': memo[BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4))] = Peek(); break;
                case 0x94: memo[memo.Count] = Peek(); break; // MEMOIZE
                case (byte)'h': stack.Add(memo[ReadByte()]); break; // BINGET
                case (byte)'j': stack.Add(memo[BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4))]); break;
                case (byte)'J': stack.Add((long)BinaryPrimitives.ReadInt32LittleEndian(ReadBytes(4))); break;
                case (byte)'K': stack.Add((long)ReadByte()); break;
                case (byte)'M': stack.Add((long)BinaryPrimitives.ReadUInt16LittleEndian(ReadBytes(2))); break;
                case 0x8a: stack.Add(ReadLong(ReadByte())); break; // LONG1
                case (byte)'N': stack.Add(null); break;
                case 0x88: stack.Add(true); break;
                case 0x89: stack.Add(false); break;
                case (byte)'G': stack.Add(BinaryPrimitives.ReadDoubleBigEndian(ReadBytes(8))); break;
                case (byte)'X': stack.Add(ReadString(BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4)))); break;
                case 0x8c: stack.Add(ReadString(ReadByte())); break; // SHORT_BINUNICODE
                case (byte)'U': stack.Add(ReadString(ReadByte())); break; // SHORT_BINSTRING
                case (byte)'T': stack.Add(ReadString(BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4)))); break;
                case (byte)'C': stack.Add(ReadBytes(ReadByte())); break; // SHORT_BINBYTES
                case (byte)'B': stack.Add(ReadBytes(checked((int)BinaryPrimitives.ReadUInt32LittleEndian(ReadBytes(4))))); break;
                case (byte)'c': stack.Add(new PickleGlobal(ReadLine(), ReadLine())); break; // GLOBAL
                case 0x93: { var name = (string)Pop()!; var module = (string)Pop()!; stack.Add(new PickleGlobal(module, name)); break; }
                case (byte)'R': { var args = (object?[])Pop()!; var callee = Pop(); stack.Add(Call(callee, args)); break; }
                case 0x81: { var args = (object?[])Pop()!; var cls = Pop(); stack.Add(Call(cls, args)); break; } // NEWOBJ
                case (byte)'b': Pop(); break; // BUILD: object state (e.g. a state dict's _metadata) is not needed
                case (byte)'Q': stack.Add(persistentLoad(Pop())); break; // BINPERSID
                case (byte)'s': { var value = Pop(); var key = Pop(); Dict(Peek())[key!] = value; break; }
                case (byte)'u': { var items = PopToMark(); var dict = Dict(Peek()); for (var i = 0; i < items.Count; i += 2) { dict[items[i]!] = items[i + 1]; } break; }
                case (byte)'a': { var value = Pop(); ((List<object?>)Peek()!).Add(value); break; }
                case (byte)'e': { var items = PopToMark(); ((List<object?>)Peek()!).AddRange(items); break; }
                default: throw new InvalidDataException($"unsupported pickle opcode 0x{op:x2} at byte {stream.Position - 1}");
            }
        }
    }

    private object? Call(object? callee, object?[] args) => callee is PickleGlobal global
        ? reduce(global, args)
        : throw new InvalidDataException("pickle calls something that is not a global");

    private static Dictionary<object, object?> Dict(object? value) =>
        value as Dictionary<object, object?> ?? throw new InvalidDataException("pickle sets an item on something that is not a dict");

    private object? Peek() => stack.Count > 0 ? stack[^1] : throw new InvalidDataException("pickle stack underflow");

    private object? Pop()
    {
        var top = Peek();
        stack.RemoveAt(stack.Count - 1);
        return top;
    }

    private List<object?> PopToMark()
    {
        var at = stack.LastIndexOf(Mark);
        if (at < 0)
        {
            throw new InvalidDataException("pickle has no MARK to pop to");
        }

        var items = stack.GetRange(at + 1, stack.Count - at - 1);
        stack.RemoveRange(at, stack.Count - at);
        return items;
    }

    private byte ReadByte()
    {
        var b = stream.ReadByte();
        return b < 0 ? throw new EndOfStreamException("pickle ends early") : (byte)b;
    }

    private byte[] ReadBytes(int count)
    {
        var bytes = new byte[count];
        stream.ReadExactly(bytes);
        return bytes;
    }

    private string ReadString(uint length) => Encoding.UTF8.GetString(ReadBytes(checked((int)length)));

    private string ReadLine()
    {
        var bytes = new List<byte>();
        for (var b = ReadByte(); b != (byte)'\n'; b = ReadByte())
        {
            bytes.Add(b);
        }

        return Encoding.ASCII.GetString(bytes.ToArray());
    }

    private object ReadLong(int length)
    {
        var value = new BigInteger(ReadBytes(length), isUnsigned: false, isBigEndian: false);
        return value >= long.MinValue && value <= long.MaxValue ? (long)value : value;
    }
}
