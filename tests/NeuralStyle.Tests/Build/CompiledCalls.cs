using System.Collections.Immutable;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
using System.Reflection.PortableExecutable;

namespace NeuralStyle.Tests.Build;

/// <summary>
/// Every method call in a compiled assembly, read from its IL: the calling method and the called one,
/// each named as <c>Namespace.Type/Nested::Name(ParameterTypes)</c>, so that overloads stay apart.
/// </summary>
internal static class CompiledCalls
{
    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes).GetFields()
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    /// <summary>The calls (call, callvirt, newobj, ldftn) in every method body of the assembly at <paramref name="path"/>.</summary>
    public static IReadOnlyList<(string Caller, string Callee)> In(string path)
    {
        using var pe = new PEReader(File.OpenRead(path));
        var metadata = pe.GetMetadataReader();
        var names = new SignatureNames();
        var calls = new List<(string, string)>();
        foreach (var handle in metadata.MethodDefinitions)
        {
            var method = metadata.GetMethodDefinition(handle);
            if (method.RelativeVirtualAddress == 0)
            {
                continue;
            }

            var caller = Name(metadata, handle, names);
            var il = pe.GetMethodBody(method.RelativeVirtualAddress).GetILBytes()!;
            for (var i = 0; i < il.Length;)
            {
                var opCode = OpCodesByValue[il[i] == 0xFE ? (short)(0xFE00 | il[i + 1]) : il[i]];
                i += opCode.Size;
                if (opCode.OperandType == OperandType.InlineMethod)
                {
                    calls.Add((caller, Name(metadata, MetadataTokens.EntityHandle(BitConverter.ToInt32(il, i)), names)));
                }

                i += opCode.OperandType switch
                {
                    OperandType.InlineNone => 0,
                    OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
                    OperandType.InlineVar => 2,
                    OperandType.InlineI8 or OperandType.InlineR => 8,
                    OperandType.InlineSwitch => 4 + (4 * BitConverter.ToInt32(il, i)),
                    _ => 4,
                };
            }
        }

        return calls;
    }

    private static string Name(MetadataReader metadata, EntityHandle handle, SignatureNames names)
    {
        switch (handle.Kind)
        {
            case HandleKind.MethodDefinition:
                var definition = metadata.GetMethodDefinition((MethodDefinitionHandle)handle);
                return Join(names.GetTypeFromDefinition(metadata, definition.GetDeclaringType(), 0), metadata.GetString(definition.Name), definition.DecodeSignature(names, null));
            case HandleKind.MemberReference:
                var reference = metadata.GetMemberReference((MemberReferenceHandle)handle);
                var type = reference.Parent.Kind switch
                {
                    HandleKind.TypeDefinition => names.GetTypeFromDefinition(metadata, (TypeDefinitionHandle)reference.Parent, 0),
                    HandleKind.TypeReference => names.GetTypeFromReference(metadata, (TypeReferenceHandle)reference.Parent, 0),
                    HandleKind.TypeSpecification => metadata.GetTypeSpecification((TypeSpecificationHandle)reference.Parent).DecodeSignature(names, null),
                    _ => "?",
                };
                return Join(type, metadata.GetString(reference.Name), reference.DecodeMethodSignature(names, null));
            case HandleKind.MethodSpecification:
                return Name(metadata, metadata.GetMethodSpecification((MethodSpecificationHandle)handle).Method, names);
            default:
                return "?";
        }
    }

    private static string Join(string type, string name, MethodSignature<string> signature) =>
        $"{type}::{name}({string.Join(",", signature.ParameterTypes)})";

    private sealed class SignatureNames : ISignatureTypeProvider<string, object?>
    {
        public string GetArrayType(string elementType, ArrayShape shape) => elementType + "[,]";

        public string GetByReferenceType(string elementType) => elementType + "&";

        public string GetFunctionPointerType(MethodSignature<string> signature) => "method*";

        public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) => $"{genericType}<{string.Join(",", typeArguments)}>";

        public string GetGenericMethodParameter(object? genericContext, int index) => "!!" + index;

        public string GetGenericTypeParameter(object? genericContext, int index) => "!" + index;

        public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;

        public string GetPinnedType(string elementType) => elementType;

        public string GetPointerType(string elementType) => elementType + "*";

        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode.ToString();

        public string GetSZArrayType(string elementType) => elementType + "[]";

        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind)
        {
            var type = reader.GetTypeDefinition(handle);
            var declaring = type.GetDeclaringType();
            return declaring.IsNil
                ? Qualified(reader.GetString(type.Namespace), reader.GetString(type.Name))
                : GetTypeFromDefinition(reader, declaring, rawTypeKind) + "/" + reader.GetString(type.Name);
        }

        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind)
        {
            var type = reader.GetTypeReference(handle);
            return type.ResolutionScope.Kind == HandleKind.TypeReference
                ? GetTypeFromReference(reader, (TypeReferenceHandle)type.ResolutionScope, rawTypeKind) + "/" + reader.GetString(type.Name)
                : Qualified(reader.GetString(type.Namespace), reader.GetString(type.Name));
        }

        public string GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
            reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

        private static string Qualified(string ns, string name) => ns.Length > 0 ? ns + "." + name : name;
    }
}
