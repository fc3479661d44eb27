using System.Collections.Immutable;
using System.Globalization;
using System.Reflection;
using System.Reflection.Metadata;
using System.Reflection.PortableExecutable;
using System.Text;

namespace Nanonet.Interop.Tests;

/// <summary>One method slot of the MDP's method_lookup table.</summary>
internal sealed record MethodSlot(string TypeFullName, string ClassPart, string MangledName, bool IsNative, bool IncludedType)
{
    /// <summary>The lookup-table entry as MDP writes it: the handler, or NULL.</summary>
    public string Entry(string safeProjectName) =>
        IsNative && IncludedType ? $"Library_{safeProjectName}_{ClassPart}::{MangledName}" : "NULL";
}

/// <summary>
/// What the MetadataProcessor 3.0.x (v3.0.100) derives from an interop assembly for its native stubs, computed
/// here from the compiled assembly with System.Reflection.Metadata:
/// types in MDP's order (full name order, declaring types before nested ones; <c>&lt;Module&gt;</c> left out),
/// methods in MDP's order within a type (virtual, then other instance, then static, each in metadata order),
/// a method is native when its RVA is 0 and it is not abstract, the class part (<c>Namespace_Class</c> with dots
/// as underscores, nested types prefixed by their parent), the mangled name
/// (<c>Name___STATIC__RET__P1...</c>), and the native-methods checksum (CRC-32, poly 0x04C11DB7, MSB first,
/// no reflection, no final XOR; per native method: assembly name, class part, mangled name; per other method
/// "NULL", the running value staying 0 until the first native method).
/// </summary>
internal sealed class NativeMetadata
{
    public required string AssemblyName { get; init; }
    public required Version NativeVersion { get; init; }
    public required IReadOnlyList<MethodSlot> Slots { get; init; }
    public required uint Checksum { get; init; }
    public required IReadOnlyList<string> AssemblyReferences { get; init; }
    public required IReadOnlyList<string> TypeNames { get; init; }
    public required IReadOnlyList<string> Problems { get; init; }

    public string SafeName => AssemblyName.Replace('.', '_');

    public static NativeMetadata Read(string dllPath)
    {
        using var stream = File.OpenRead(dllPath);
        using var pe = new PEReader(stream);
        var md = pe.GetMetadataReader();
        string asmName = md.GetString(md.GetAssemblyDefinition().Name);
        var problems = new List<string>();

        var types = md.TypeDefinitions.Select(h => (Handle: h, Def: md.GetTypeDefinition(h)))
            .Where(t => FullName(md, t.Handle) != "<Module>")
            .ToList();
        // MDP: OrderBy(FullName) with the default (culture) string comparer, parents before nested types.
        var ordered = new List<TypeDefinitionHandle>();
        var done = new HashSet<TypeDefinitionHandle>();
        void Add(TypeDefinitionHandle h)
        {
            if (done.Contains(h))
            {
                return;
            }

            var parent = md.GetTypeDefinition(h).GetDeclaringType();
            if (!parent.IsNil)
            {
                Add(parent);
            }

            if (done.Add(h))
            {
                ordered.Add(h);
            }
        }

        foreach (var t in types.OrderBy(t => FullName(md, t.Handle), StringComparer.Create(CultureInfo.GetCultureInfo("en-US"), false)))
        {
            Add(t.Handle);
        }

        var provider = new TokenProvider();
        var slots = new List<MethodSlot>();
        foreach (var th in ordered)
        {
            var td = md.GetTypeDefinition(th);
            bool included = IncludeInStub(md, td);
            string classPart = ClassPart(md, th);
            var methods = td.GetMethods().Select(md.GetMethodDefinition).ToList();
            var inOrder = methods.Where(m => (m.Attributes & MethodAttributes.Virtual) != 0)
                .Concat(methods.Where(m => (m.Attributes & (MethodAttributes.Virtual | MethodAttributes.Static)) == 0))
                .Concat(methods.Where(m => (m.Attributes & MethodAttributes.Static) != 0));
            foreach (var m in inOrder)
            {
                bool isStatic = (m.Attributes & MethodAttributes.Static) != 0;
                bool native = m.RelativeVirtualAddress == 0 && (m.Attributes & MethodAttributes.Abstract) == 0;
                var sig = m.DecodeSignature(provider, null);
                string mangled = md.GetString(m.Name) + (isStatic ? "___STATIC__" : "___")
                    + string.Join("__", new[] { sig.ReturnType }.Concat(sig.ParameterTypes));
                mangled = mangled.Replace(".", "_").Replace("/", "");
                slots.Add(new MethodSlot(FullName(md, th), classPart, mangled, native, included));
            }
        }

        // Checksum over the included types only (MDP's NativeMethodsCrc.UpdateCrc).
        byte[] nameBytes = Encoding.ASCII.GetBytes(asmName);
        byte[] nullBytes = Encoding.ASCII.GetBytes("NULL");
        uint running = 0;
        int natives = 0;
        foreach (var s in slots.Where(s => s.IncludedType))
        {
            uint current = natives > 0 ? running : 0;
            if (s.IsNative)
            {
                running = Crc32(nameBytes, current);
                running = Crc32(Encoding.ASCII.GetBytes(s.ClassPart), natives > 0 ? running : 0);
                running = Crc32(Encoding.ASCII.GetBytes(s.MangledName), natives > 0 ? running : 0);
                natives++;
            }
            else
            {
                running = Crc32(nullBytes, current);
            }
        }

        return new NativeMetadata
        {
            AssemblyName = asmName,
            NativeVersion = ReadNativeVersion(md) ?? new Version(0, 0, 0, 0),
            Slots = slots,
            Checksum = natives > 0 ? running : 0,
            AssemblyReferences = md.AssemblyReferences.Select(h => md.GetString(md.GetAssemblyReference(h).Name)).ToList(),
            TypeNames = md.TypeDefinitions.Select(h => FullName(md, h)).ToList(),
            Problems = problems,
        };
    }

    /// <summary>MDP's Crc32.Compute: table-driven, MSB first, seeded with <paramref name="crc"/>.</summary>
    public static uint Crc32(byte[] data, uint crc)
    {
        foreach (byte b in data)
        {
            crc ^= (uint)b << 24;
            for (int i = 0; i < 8; i++)
            {
                crc = (crc & 0x80000000u) != 0 ? (crc << 1) ^ 0x04C11DB7u : crc << 1;
            }
        }

        return crc;
    }

    public static string FullName(MetadataReader md, TypeDefinitionHandle h)
    {
        var td = md.GetTypeDefinition(h);
        var parent = td.GetDeclaringType();
        string name = md.GetString(td.Name);
        if (!parent.IsNil)
        {
            return FullName(md, parent) + "/" + name;
        }

        string ns = md.GetString(td.Namespace);
        return ns.Length == 0 ? name : ns + "." + name;
    }

    private static string ClassPart(MetadataReader md, TypeDefinitionHandle h)
    {
        var td = md.GetTypeDefinition(h);
        var parent = td.GetDeclaringType();
        string parentPart = parent.IsNil ? string.Empty : ClassPart(md, parent);
        return string.Join("_", parentPart, md.GetString(td.Namespace), md.GetString(td.Name)).Replace(".", "_").TrimStart('_');
    }

    /// <summary>MDP stubs classes and value types; not interfaces, enums or delegates.</summary>
    private static bool IncludeInStub(MetadataReader md, TypeDefinition td)
    {
        if ((td.Attributes & TypeAttributes.Interface) != 0)
        {
            return false;
        }

        string baseName = BaseName(md, td.BaseType);
        return baseName is not ("System.Enum" or "System.Delegate" or "System.MulticastDelegate");
    }

    private static string BaseName(MetadataReader md, EntityHandle h)
    {
        if (h.IsNil)
        {
            return string.Empty;
        }

        if (h.Kind == HandleKind.TypeReference)
        {
            var tr = md.GetTypeReference((TypeReferenceHandle)h);
            return md.GetString(tr.Namespace) + "." + md.GetString(tr.Name);
        }

        return h.Kind == HandleKind.TypeDefinition ? FullName(md, (TypeDefinitionHandle)h) : string.Empty;
    }

    private static Version? ReadNativeVersion(MetadataReader md)
    {
        foreach (var ch in md.GetAssemblyDefinition().GetCustomAttributes())
        {
            var ca = md.GetCustomAttribute(ch);
            if (ca.Constructor.Kind != HandleKind.MemberReference)
            {
                continue;
            }

            var mr = md.GetMemberReference((MemberReferenceHandle)ca.Constructor);
            if (mr.Parent.Kind != HandleKind.TypeReference ||
                md.GetString(md.GetTypeReference((TypeReferenceHandle)mr.Parent).Name) != "AssemblyNativeVersionAttribute")
            {
                continue;
            }

            var blob = md.GetBlobReader(ca.Value);
            blob.ReadUInt16(); // prolog 0x0001
            return Version.Parse(blob.ReadSerializedString()!);
        }

        return null;
    }

    /// <summary>nanoCLR data-type tokens as MDP's NativeMethodsCrc.GetParameterType writes them.</summary>
    private sealed class TokenProvider : ISignatureTypeProvider<string, object?>
    {
        public string GetPrimitiveType(PrimitiveTypeCode typeCode) => typeCode switch
        {
            PrimitiveTypeCode.Void => "VOID",
            PrimitiveTypeCode.Boolean => "BOOLEAN",
            PrimitiveTypeCode.Char => "CHAR",
            PrimitiveTypeCode.SByte => "I1",
            PrimitiveTypeCode.Byte => "U1",
            PrimitiveTypeCode.Int16 => "I2",
            PrimitiveTypeCode.UInt16 => "U2",
            PrimitiveTypeCode.Int32 => "I4",
            PrimitiveTypeCode.UInt32 => "U4",
            PrimitiveTypeCode.Int64 => "I8",
            PrimitiveTypeCode.UInt64 => "U8",
            PrimitiveTypeCode.Single => "R4",
            PrimitiveTypeCode.Double => "R8",
            PrimitiveTypeCode.String => "STRING",
            PrimitiveTypeCode.Object => "OBJECT",
            PrimitiveTypeCode.IntPtr => "I4",
            PrimitiveTypeCode.UIntPtr => "U4",
            _ => throw new NotSupportedException("type " + typeCode + " has no nanoCLR token"),
        };

        public string GetSZArrayType(string elementType) => "SZARRAY_" + elementType;

        public string GetByReferenceType(string elementType) => "BYREF_" + elementType;

        public string GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) =>
            FullName(reader, handle).Replace(".", string.Empty);

        public string GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind)
        {
            var tr = reader.GetTypeReference(handle);
            string full = reader.GetString(tr.Namespace) + "." + reader.GetString(tr.Name);
            return full == "System.WeakReference" ? "WEAKCLASS" : full.Replace(".", string.Empty);
        }

        public string GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
            throw new NotSupportedException("type specifications in an interop signature");

        public string GetArrayType(string elementType, ArrayShape shape) => throw new NotSupportedException("multi-dimensional arrays");

        public string GetPointerType(string elementType) => throw new NotSupportedException("pointers");

        public string GetPinnedType(string elementType) => elementType;

        public string GetGenericInstantiation(string genericType, ImmutableArray<string> typeArguments) => throw new NotSupportedException("generics");

        public string GetGenericMethodParameter(object? genericContext, int index) => "GENERICTYPE";

        public string GetGenericTypeParameter(object? genericContext, int index) => "GENERICTYPE";

        public string GetFunctionPointerType(MethodSignature<string> signature) => throw new NotSupportedException("function pointers");

        public string GetModifiedType(string modifier, string unmodifiedType, bool isRequired) => unmodifiedType;
    }
}
