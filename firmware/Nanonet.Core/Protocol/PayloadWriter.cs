namespace Nanonet.Core.Protocol
{
    /// <summary>Builds a payload: little-endian integers, byte arrays and length-prefixed UTF-8 strings.</summary>
    public sealed class PayloadWriter
    {
        private byte[] data;
        private int length;

        /// <summary>Creates a writer.</summary>
        /// <param name="capacity">Initial capacity in bytes.</param>
        public PayloadWriter(int capacity)
        {
            data = new byte[capacity < 16 ? 16 : capacity];
        }

        /// <summary>Bytes written so far.</summary>
        public int Length
        {
            get { return length; }
        }

        /// <summary>Writes a byte.</summary>
        /// <param name="v">The value (low 8 bits).</param>
        public void U8(int v)
        {
            Grow(1);
            data[length++] = (byte)v;
        }

        /// <summary>Writes a u16.</summary>
        /// <param name="v">The value (low 16 bits).</param>
        public void U16(int v)
        {
            Grow(2);
            data[length++] = (byte)v;
            data[length++] = (byte)(v >> 8);
        }

        /// <summary>Writes a u32 (or the bits of an i32).</summary>
        /// <param name="v">The value (low 32 bits).</param>
        public void U32(long v)
        {
            Grow(4);
            data[length++] = (byte)v;
            data[length++] = (byte)(v >> 8);
            data[length++] = (byte)(v >> 16);
            data[length++] = (byte)(v >> 24);
        }

        /// <summary>Writes bytes.</summary>
        /// <param name="bytes">The bytes.</param>
        /// <param name="offset">First byte.</param>
        /// <param name="count">Number of bytes.</param>
        public void Bytes(byte[] bytes, int offset, int count)
        {
            Grow(count);
            System.Array.Copy(bytes, offset, data, length, count);
            length += count;
        }

        /// <summary>Writes int8 values.</summary>
        /// <param name="values">The values.</param>
        public void SBytes(sbyte[] values)
        {
            Grow(values.Length);
            for (int i = 0; i < values.Length; i++)
            {
                data[length++] = (byte)values[i];
            }
        }

        /// <summary>Writes a string as u8 length + UTF-8 (cut at 255 bytes, on a character boundary).</summary>
        /// <param name="text">The string (null: empty).</param>
        public void String8(string text)
        {
            byte[] bytes = Utf8.Encode(text);
            int n = bytes.Length;
            if (n > 255)
            {
                n = 255;
                while (n > 0 && (bytes[n] & 0xC0) == 0x80)
                {
                    n--;
                }
            }

            U8(n);
            Bytes(bytes, 0, n);
        }

        /// <summary>Writes a string as u16 length + UTF-8 (cut at 1024 bytes, on a character boundary).</summary>
        /// <param name="text">The string (null: empty).</param>
        public void String16(string text)
        {
            byte[] bytes = Utf8.Encode(text);
            int n = bytes.Length;
            if (n > 1024)
            {
                n = 1024;
                while (n > 0 && (bytes[n] & 0xC0) == 0x80)
                {
                    n--;
                }
            }

            U16(n);
            Bytes(bytes, 0, n);
        }

        /// <summary>The payload.</summary>
        /// <returns>A copy of the bytes written.</returns>
        public byte[] ToArray()
        {
            var result = new byte[length];
            System.Array.Copy(data, 0, result, 0, length);
            return result;
        }

        private void Grow(int extra)
        {
            if (length + extra <= data.Length)
            {
                return;
            }

            int size = data.Length * 2;
            while (size < length + extra)
            {
                size *= 2;
            }

            var bigger = new byte[size];
            System.Array.Copy(data, 0, bigger, 0, length);
            data = bigger;
        }
    }
}
