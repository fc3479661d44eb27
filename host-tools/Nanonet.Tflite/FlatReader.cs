using System.Text;
using Google.FlatBuffers;

namespace Nanonet.Tflite;

/// <summary>
/// Bounds-checked access to flatbuffer tables over Google.FlatBuffers' <see cref="Table"/> and
/// <see cref="ByteBuffer"/>. Every position is validated against the buffer length before the
/// library reads it, so a malformed file surfaces as <see cref="TfliteFormatException"/>.
/// </summary>
internal sealed class FlatReader
{
    private readonly ByteBuffer _bb;
    private readonly int _length;

    public FlatReader(byte[] data)
    {
        _bb = new ByteBuffer(data);
        _length = data.Length;
    }

    public ByteBuffer Buffer => _bb;

    public int Length => _length;

    private void Need(long pos, long size, string what)
    {
        if (pos < 0 || size < 0 || pos + size > _length)
        {
            throw new TfliteFormatException(
                $"{what}: bytes [{pos}, {pos + size}) lie outside the {_length}-byte buffer");
        }
    }

    /// <summary>The root table (uoffset at byte 0).</summary>
    public FlatTable Root(string what)
    {
        Need(0, 8, what);
        long pos = (uint)_bb.GetInt(0);
        return TableAt(pos, what);
    }

    /// <summary>A table whose start is at the absolute position <paramref name="pos"/>; validates its vtable.</summary>
    public FlatTable TableAt(long pos, string what)
    {
        Need(pos, 4, what);
        long vtable = pos - _bb.GetInt((int)pos);
        Need(vtable, 4, what + " vtable");
        int vtableSize = _bb.GetUshort((int)vtable);
        int objectSize = _bb.GetUshort((int)vtable + 2);
        if (vtableSize < 4 || (vtableSize & 1) != 0)
        {
            throw new TfliteFormatException($"{what}: invalid vtable size {vtableSize}");
        }
        Need(vtable, vtableSize, what + " vtable");
        if (objectSize < 4)
        {
            throw new TfliteFormatException($"{what}: invalid table size {objectSize}");
        }
        Need(pos, objectSize, what);
        return new FlatTable(this, new Table((int)pos, _bb), objectSize, what);
    }

    /// <summary>Follows the uoffset stored at absolute position <paramref name="pos"/>.</summary>
    public long Indirect(long pos, string what)
    {
        Need(pos, 4, what);
        uint rel = (uint)_bb.GetInt((int)pos);
        long target = pos + rel;
        Need(target, 0, what);
        return target;
    }

    /// <summary>Start and element count of a vector whose header is at <paramref name="header"/>.</summary>
    public (long Start, int Count) Vector(long header, int elementSize, string what)
    {
        Need(header, 4, what + " length");
        uint count = (uint)_bb.GetInt((int)header);
        Need(header + 4, (long)count * elementSize, what);
        return (header + 4, (int)count);
    }

    public sbyte GetSbyte(long pos) => _bb.GetSbyte((int)pos);
    public byte GetByte(long pos) => _bb.Get((int)pos);
    public short GetShort(long pos) => _bb.GetShort((int)pos);
    public int GetInt(long pos) => _bb.GetInt((int)pos);
    public uint GetUint(long pos) => _bb.GetUint((int)pos);
    public long GetLong(long pos) => _bb.GetLong((int)pos);
    public ulong GetUlong(long pos) => _bb.GetUlong((int)pos);
    public float GetFloat(long pos) => _bb.GetFloat((int)pos);

    public byte[] GetBytes(long pos, int count) => _bb.ToArray<byte>((int)pos, count);

    public string GetUtf8(long pos, int count) => Encoding.UTF8.GetString(GetBytes(pos, count));
}

/// <summary>A validated table: field access by schema slot number, with bounds checks.</summary>
internal readonly struct FlatTable
{
    private readonly FlatReader _r;
    private readonly Table _t;
    private readonly int _size;
    private readonly string _what;

    public FlatTable(FlatReader r, Table t, int size, string what)
    {
        _r = r;
        _t = t;
        _size = size;
        _what = what;
    }

    public string What => _what;

    /// <summary>Offset of the field in slot <paramref name="slot"/> inside the table, or 0 when absent.</summary>
    private int Field(int slot, int size, string name)
    {
        int o = _t.__offset(4 + 2 * slot);
        if (o == 0)
        {
            return 0;
        }
        if (o < 4 || o + size > _size)
        {
            throw new TfliteFormatException($"{_what}.{name}: field offset {o} outside the {_size}-byte table");
        }
        return o;
    }

    public bool Has(int slot) => _t.__offset(4 + 2 * slot) != 0;

    public sbyte Sbyte(int slot, string name, sbyte def = 0)
    {
        int o = Field(slot, 1, name);
        return o == 0 ? def : _r.GetSbyte(_t.bb_pos + o);
    }

    public byte Byte(int slot, string name, byte def = 0)
    {
        int o = Field(slot, 1, name);
        return o == 0 ? def : _r.GetByte(_t.bb_pos + o);
    }

    public bool Bool(int slot, string name) => Byte(slot, name) != 0;

    public int Int(int slot, string name, int def = 0)
    {
        int o = Field(slot, 4, name);
        return o == 0 ? def : _r.GetInt(_t.bb_pos + o);
    }

    public uint Uint(int slot, string name, uint def = 0)
    {
        int o = Field(slot, 4, name);
        return o == 0 ? def : _r.GetUint(_t.bb_pos + o);
    }

    public ulong Ulong(int slot, string name, ulong def = 0)
    {
        int o = Field(slot, 8, name);
        return o == 0 ? def : _r.GetUlong(_t.bb_pos + o);
    }

    public float Float(int slot, string name, float def = 0f)
    {
        int o = Field(slot, 4, name);
        return o == 0 ? def : _r.GetFloat(_t.bb_pos + o);
    }

    private (long Start, int Count)? Vec(int slot, int elementSize, string name)
    {
        int o = Field(slot, 4, name);
        if (o == 0)
        {
            return null;
        }
        // Validate the header and the element bytes first, then let the library locate them.
        long header = _r.Indirect(_t.bb_pos + o, $"{_what}.{name}");
        _ = _r.Vector(header, elementSize, $"{_what}.{name}");
        return (_t.__vector(o), _t.__vector_len(o));
    }

    public string? String(int slot, string name)
    {
        var v = Vec(slot, 1, name);
        return v is { } x ? _r.GetUtf8(x.Start, x.Count) : null;
    }

    public byte[]? Bytes(int slot, string name)
    {
        var v = Vec(slot, 1, name);
        return v is { } x ? _r.GetBytes(x.Start, x.Count) : null;
    }

    public int[]? Ints(int slot, string name)
    {
        var v = Vec(slot, 4, name);
        if (v is not { } x)
        {
            return null;
        }
        var a = new int[x.Count];
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = _r.GetInt(x.Start + 4L * i);
        }
        return a;
    }

    public float[]? Floats(int slot, string name)
    {
        var v = Vec(slot, 4, name);
        if (v is not { } x)
        {
            return null;
        }
        var a = new float[x.Count];
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = _r.GetFloat(x.Start + 4L * i);
        }
        return a;
    }

    public long[]? Longs(int slot, string name)
    {
        var v = Vec(slot, 8, name);
        if (v is not { } x)
        {
            return null;
        }
        var a = new long[x.Count];
        for (int i = 0; i < a.Length; i++)
        {
            a[i] = _r.GetLong(x.Start + 8L * i);
        }
        return a;
    }

    /// <summary>A vector of tables; element i is named "name[i]" in messages.</summary>
    public FlatTable[]? Tables(int slot, string name)
    {
        var v = Vec(slot, 4, name);
        if (v is not { } x)
        {
            return null;
        }
        var a = new FlatTable[x.Count];
        for (int i = 0; i < a.Length; i++)
        {
            string what = $"{_what}.{name}[{i}]";
            long pos = _r.Indirect(x.Start + 4L * i, what);
            a[i] = _r.TableAt(pos, what);
        }
        return a;
    }

    /// <summary>A sub-table (or union value) in slot <paramref name="slot"/>, or null when absent.</summary>
    public FlatTable? Table(int slot, string name)
    {
        int o = Field(slot, 4, name);
        if (o == 0)
        {
            return null;
        }
        string what = $"{_what}.{name}";
        _ = _r.Indirect(_t.bb_pos + o, what);
        return _r.TableAt(_t.__indirect(_t.bb_pos + o), what);
    }
}
