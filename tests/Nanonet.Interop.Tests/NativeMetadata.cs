using System.Collections.Immutable;
using System.Globalization;
using System.Reflection;
using System.Reflection.Emit;
using System.Reflection.Metadata;
using System.Reflection.Metadata.Ecma335;
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
/// types in MDP's order (full name order, with declaring types, implemented interfaces and the types used by called
/// methods placed before their users, see <see cref="OrderTypesByUsage"/>; <c>&lt;Module&gt;</c> left out; types MDP
/// excludes dropped from the table and the checksum),
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

    /// <summary>
    /// Types MDP 3.0.100 treats as excluded by default (its nanoTablesContext.SetDefaultTypesToExclude); types marked
    /// with <c>System.Runtime.CompilerServices.ExcludeTypeAttribute</c> are added to these.
    /// </summary>
    private static readonly string[] DefaultExcludedTypes =
    {
        "ThisAssembly",
        "System.Runtime.CompilerServices.RefSafetyRulesAttribute",
        "System.Runtime.CompilerServices.AccessedThroughPropertyAttribute",
    };

    /// <summary>
    /// MDP 3.0.100's built-in list of attribute (and helper) type names it ignores (nanoTablesContext.IgnoringAttributes);
    /// a type of the assembly carrying one of these names is not stubbed (its methods get NULL slots).
    /// </summary>
    private static readonly HashSet<string> IgnoredTypeNames = new(StringComparer.Ordinal)
    {
        "System.Reflection.AssemblyFileVersionAttribute", "System.Runtime.InteropServices.ComVisibleAttribute",
        "System.Runtime.InteropServices.GuidAttribute", "System.ParamArrayAttribute", "System.SerializableAttribute",
        "System.NonSerializedAttribute", "System.Runtime.InteropServices.StructLayoutAttribute",
        "System.Runtime.InteropServices.LayoutKind", "System.Runtime.InteropServices.OutAttribute",
        "System.Runtime.CompilerServices.ExtensionAttribute", "System.Runtime.CompilerServices.MethodImplAttribute",
        "System.Runtime.CompilerServices.NullableAttribute", "System.Runtime.CompilerServices.NullableContextAttribute",
        "System.Runtime.CompilerServices.InternalsVisibleToAttribute", "System.Runtime.CompilerServices.IndexerNameAttribute",
        "System.Runtime.CompilerServices.MethodImplOptions", "System.Runtime.CompilerServices.RefSafetyRulesAttribute",
        "System.Reflection.FieldNoReflectionAttribute", "System.Diagnostics.DebuggableAttribute",
        "System.Diagnostics.DebuggerBrowsableAttribute", "System.Diagnostics.DebuggerBrowsableState",
        "System.Diagnostics.DebuggerHiddenAttribute", "System.Diagnostics.DebuggerNonUserCodeAttribute",
        "System.Diagnostics.DebuggerStepThroughAttribute", "System.Diagnostics.DebuggerDisplayAttribute",
        "System.AttributeUsageAttribute", "System.CLSCompliantAttribute", "System.FlagsAttribute", "System.ObsoleteAttribute",
        "System.Diagnostics.ConditionalAttribute", "System.ComponentModel.EditorBrowsableAttribute",
        "System.Reflection.DefaultMemberAttribute", "System.MTAThreadAttribute", "System.STAThreadAttribute",
    };

    public static NativeMetadata Read(string dllPath)
    {
        using var stream = File.OpenRead(dllPath);
        using var pe = new PEReader(stream);
        var md = pe.GetMetadataReader();
        string asmName = md.GetString(md.GetAssemblyDefinition().Name);
        var problems = new List<string>();

        // The excluded type names (MDP's ClassNamesToExclude): the defaults plus types marked [ExcludeType].
        var excluded = new HashSet<string>(DefaultExcludedTypes, StringComparer.Ordinal);
        foreach (var h in md.TypeDefinitions)
        {
            if (md.GetTypeDefinition(h).GetCustomAttributes().Any(ca =>
                    AttributeTypeName(md, md.GetCustomAttribute(ca)) == "System.Runtime.CompilerServices.ExcludeTypeAttribute"))
            {
                excluded.Add(FullName(md, h));
            }
        }

        var ignored = new HashSet<string>(IgnoredTypeNames.Concat(DefaultExcludedTypes), StringComparer.Ordinal);
        var ordered = OrderTypesByUsage(pe, md);

        var provider = new TokenProvider();
        var slots = new List<MethodSlot>();
        byte[] nameBytes = Encoding.ASCII.GetBytes(asmName);
        byte[] nullBytes = Encoding.ASCII.GetBytes("NULL");
        uint running = 0;
        int natives = 0;
        foreach (var th in ordered)
        {
            var td = md.GetTypeDefinition(th);
            string fullName = FullName(md, th);
            string? parentName = td.GetDeclaringType().IsNil ? null : FullName(md, td.GetDeclaringType());
            bool stubbable = IncludeInStub(md, td);

            // MDP 3.0.100 computes the checksum (NativeMethodsCrc.UpdateCrc) before minimizing the assembly, over the
            // stubbable types whose full name, or whose declaring type's full name, is not an excluded type name.
            bool inChecksum = stubbable && !excluded.Contains(fullName) && !(parentName != null && excluded.Contains(parentName));

            // The method_lookup table is written after minimization, which drops the types whose full name or simple
            // name, or whose declaring type's full name, is an excluded type name (nanoAssemblyBuilder.Minimize with
            // TypeDefinitionExtensions.IsToExclude); the remaining types keep their order. Of those, a type is stubbed
            // when it is a class or value type that is neither excluded nor on the ignored-attributes list
            // (nanoSkeletonGenerator.ShouldIncludeType); other types get one NULL slot per method.
            bool inTable = !excluded.Contains(fullName) && !excluded.Contains(md.GetString(td.Name))
                && !(parentName != null && excluded.Contains(parentName));
            bool included = stubbable && inTable && !ignored.Contains(fullName);
            if (!inTable && ReferencedByOthers(md, th, ordered))
            {
                problems.Add($"{fullName} is excluded by MDP but used by another type; MDP's minimizer may keep it in the table");
            }

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
                if (inTable)
                {
                    slots.Add(new MethodSlot(fullName, classPart, mangled, native, included));
                }

                if (!inChecksum)
                {
                    continue;
                }

                // Per native method: assembly name, class part, mangled name; per other method "NULL". The running
                // value is taken as 0 until the first native method has been counted.
                uint current = natives > 0 ? running : 0;
                if (native)
                {
                    running = Crc32(nameBytes, current);
                    running = Crc32(Encoding.ASCII.GetBytes(classPart), natives > 0 ? running : 0);
                    running = Crc32(Encoding.ASCII.GetBytes(mangled), natives > 0 ? running : 0);
                    natives++;
                }
                else
                {
                    running = Crc32(nullBytes, current);
                }
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

    /// <summary>
    /// The assembly's types (<c>&lt;Module&gt;</c> left out) in the order MDP 3.0.100 gives its type definition table
    /// (nanoTablesContext.SortTypesAccordingUsages), which is also the order of the stubs' method_lookup table and of
    /// the checksum. MDP takes the types by full name (culture-sensitive default comparer; nested types as
    /// <c>Outer/Inner</c>) and emits each one not yet emitted as follows: first its declaring type, then (each the same
    /// way) the interfaces it implements that are defined in this assembly; then it marks the type as placed and
    /// emits, the same way and in order, the types of this assembly that are the return type (unless void) or a
    /// parameter type of a method that the IL of its method bodies references (call, callvirt, newobj, ldftn,
    /// ldvirtftn, jmp, ldtoken); then the type itself. A type "used" through an array, by-ref or generic instance
    /// counts as its element type / generic type definition; a generic parameter counts as nothing.
    /// </summary>
    private static List<TypeDefinitionHandle> OrderTypesByUsage(PEReader pe, MetadataReader md)
    {
        var culture = StringComparer.Create(CultureInfo.GetCultureInfo("en-US"), false);
        var byName = md.TypeDefinitions.Where(h => FullName(md, h) != "<Module>").OrderBy(h => FullName(md, h), culture).ToList();
        var resolver = new LocalTypeProvider();
        var placed = new HashSet<TypeDefinitionHandle>();
        var result = new List<TypeDefinitionHandle>();

        void Place(TypeDefinitionHandle h)
        {
            if (placed.Contains(h))
            {
                return;
            }

            var td = md.GetTypeDefinition(h);
            if (!td.GetDeclaringType().IsNil)
            {
                Place(td.GetDeclaringType());
            }

            foreach (var ih in td.GetInterfaceImplementations())
            {
                var local = resolver.Resolve(md, md.GetInterfaceImplementation(ih).Interface);
                if (!local.IsNil)
                {
                    Place(local);
                }
            }

            if (!placed.Add(h))
            {
                return;
            }

            foreach (var used in UsedTypes(pe, md, td, resolver))
            {
                Place(used);
            }

            result.Add(h);
        }

        foreach (var h in byName)
        {
            Place(h);
        }

        return result;
    }

    /// <summary>Return and parameter types (defined in this assembly) of the methods the type's IL references.</summary>
    private static IEnumerable<TypeDefinitionHandle> UsedTypes(PEReader pe, MetadataReader md, TypeDefinition td, LocalTypeProvider resolver)
    {
        var found = new List<TypeDefinitionHandle>();
        foreach (var mh in td.GetMethods())
        {
            var m = md.GetMethodDefinition(mh);
            if (m.RelativeVirtualAddress == 0)
            {
                continue;
            }

            foreach (var token in MethodTokens(pe.GetMethodBody(m.RelativeVirtualAddress).GetILBytes() ?? Array.Empty<byte>()))
            {
                MethodSignature<TypeDefinitionHandle>? sig = MethodSignatureOf(md, MetadataTokens.EntityHandle(token), resolver);
                if (sig is not { } s)
                {
                    continue;
                }

                found.AddRange(new[] { s.ReturnType }.Concat(s.ParameterTypes).Where(t => !t.IsNil));
            }
        }

        return found;
    }

    private static MethodSignature<TypeDefinitionHandle>? MethodSignatureOf(MetadataReader md, EntityHandle h, LocalTypeProvider resolver)
    {
        switch (h.Kind)
        {
            case HandleKind.MethodDefinition:
                return md.GetMethodDefinition((MethodDefinitionHandle)h).DecodeSignature(resolver, null);
            case HandleKind.MemberReference:
                var mr = md.GetMemberReference((MemberReferenceHandle)h);
                return mr.GetKind() == MemberReferenceKind.Method ? mr.DecodeMethodSignature(resolver, null) : null;
            case HandleKind.MethodSpecification:
                // A generic method instance reports the generic method's own (uninstantiated) signature.
                return MethodSignatureOf(md, md.GetMethodSpecification((MethodSpecificationHandle)h).Method, resolver);
            default:
                return null;
        }
    }

    private static readonly Dictionary<short, OperandType> OperandTypes = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value, o => o.OperandType);

    /// <summary>Method-like tokens (InlineMethod and InlineTok operands) of an IL stream, in order.</summary>
    private static IEnumerable<int> MethodTokens(byte[] il)
    {
        int i = 0;
        while (i < il.Length)
        {
            short code = il[i] == 0xFE ? (short)(0xFE00 | il[i + 1]) : il[i];
            i += il[i] == 0xFE ? 2 : 1;
            var operand = OperandTypes[code];
            if (operand is OperandType.InlineMethod or OperandType.InlineTok)
            {
                int token = BitConverter.ToInt32(il, i);
                int table = token >>> 24;
                if (table is 0x06 or 0x0A or 0x2B)
                {
                    yield return token;
                }
            }

            i += operand switch
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

    /// <summary>Whether another type's base type, declaring type or method signatures name this type.</summary>
    private static bool ReferencedByOthers(MetadataReader md, TypeDefinitionHandle target, IEnumerable<TypeDefinitionHandle> types)
    {
        var resolver = new LocalTypeProvider();
        foreach (var h in types.Where(t => t != target))
        {
            var td = md.GetTypeDefinition(h);
            if (td.GetDeclaringType() == target || (!td.BaseType.IsNil && resolver.Resolve(md, td.BaseType) == target))
            {
                return true;
            }

            foreach (var mh in td.GetMethods())
            {
                var sig = md.GetMethodDefinition(mh).DecodeSignature(resolver, null);
                if (sig.ReturnType == target || sig.ParameterTypes.Contains(target))
                {
                    return true;
                }
            }
        }

        return false;
    }

    private static string AttributeTypeName(MetadataReader md, CustomAttribute ca)
    {
        EntityHandle type = ca.Constructor.Kind switch
        {
            HandleKind.MemberReference => md.GetMemberReference((MemberReferenceHandle)ca.Constructor).Parent,
            HandleKind.MethodDefinition => md.GetMethodDefinition((MethodDefinitionHandle)ca.Constructor).GetDeclaringType(),
            _ => default,
        };
        return type.Kind is HandleKind.TypeReference or HandleKind.TypeDefinition ? BaseName(md, type) : string.Empty;
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

    /// <summary>
    /// Resolves a signature type to the type definition of this assembly it stands for (as Cecil's Resolve does for
    /// MDP: arrays, by-refs, pointers, modifiers and generic instances stand for their element / generic type), or
    /// to nil when it is a primitive, a generic parameter or a type of another assembly.
    /// </summary>
    private sealed class LocalTypeProvider : ISignatureTypeProvider<TypeDefinitionHandle, object?>
    {
        public TypeDefinitionHandle Resolve(MetadataReader md, EntityHandle h) => h.Kind switch
        {
            HandleKind.TypeDefinition => (TypeDefinitionHandle)h,
            HandleKind.TypeReference => GetTypeFromReference(md, (TypeReferenceHandle)h, 0),
            HandleKind.TypeSpecification => GetTypeFromSpecification(md, null, (TypeSpecificationHandle)h, 0),
            _ => default,
        };

        public TypeDefinitionHandle GetPrimitiveType(PrimitiveTypeCode typeCode) => default;

        public TypeDefinitionHandle GetSZArrayType(TypeDefinitionHandle elementType) => elementType;

        public TypeDefinitionHandle GetByReferenceType(TypeDefinitionHandle elementType) => elementType;

        public TypeDefinitionHandle GetTypeFromDefinition(MetadataReader reader, TypeDefinitionHandle handle, byte rawTypeKind) => handle;

        public TypeDefinitionHandle GetTypeFromReference(MetadataReader reader, TypeReferenceHandle handle, byte rawTypeKind)
        {
            var tr = reader.GetTypeReference(handle);
            string ns = reader.GetString(tr.Namespace);
            string name = reader.GetString(tr.Name);
            switch (tr.ResolutionScope.Kind)
            {
                case HandleKind.ModuleDefinition:
                    return reader.TypeDefinitions.FirstOrDefault(d =>
                        reader.GetTypeDefinition(d).GetDeclaringType().IsNil &&
                        reader.GetString(reader.GetTypeDefinition(d).Namespace) == ns &&
                        reader.GetString(reader.GetTypeDefinition(d).Name) == name);
                case HandleKind.TypeReference:
                    var parent = GetTypeFromReference(reader, (TypeReferenceHandle)tr.ResolutionScope, 0);
                    return parent.IsNil
                        ? default
                        : reader.GetTypeDefinition(parent).GetNestedTypes().FirstOrDefault(d => reader.GetString(reader.GetTypeDefinition(d).Name) == name);
                default:
                    return default;
            }
        }

        public TypeDefinitionHandle GetTypeFromSpecification(MetadataReader reader, object? genericContext, TypeSpecificationHandle handle, byte rawTypeKind) =>
            reader.GetTypeSpecification(handle).DecodeSignature(this, genericContext);

        public TypeDefinitionHandle GetArrayType(TypeDefinitionHandle elementType, ArrayShape shape) => elementType;

        public TypeDefinitionHandle GetPointerType(TypeDefinitionHandle elementType) => elementType;

        public TypeDefinitionHandle GetPinnedType(TypeDefinitionHandle elementType) => elementType;

        public TypeDefinitionHandle GetGenericInstantiation(TypeDefinitionHandle genericType, ImmutableArray<TypeDefinitionHandle> typeArguments) => genericType;

        public TypeDefinitionHandle GetGenericMethodParameter(object? genericContext, int index) => default;

        public TypeDefinitionHandle GetGenericTypeParameter(object? genericContext, int index) => default;

        public TypeDefinitionHandle GetFunctionPointerType(MethodSignature<TypeDefinitionHandle> signature) => default;

        public TypeDefinitionHandle GetModifiedType(TypeDefinitionHandle modifier, TypeDefinitionHandle unmodifiedType, bool isRequired) => unmodifiedType;
    }
}
