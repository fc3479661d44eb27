namespace Nanonet.Core.Protocol
{
    /// <summary>Reads a payload written by <see cref="PayloadWriter"/>; a short payload throws
    /// <see cref="ProtocolException"/> with <see cref="ErrorCode.BadPayload"/>.</summary>
    public sealed class PayloadReader
    {
        private readonly byte[] data;
        private readonly string what;
        private int position;

        /// <summary>Creates a reader.</summary>
        /// <param name="payload">The payload.</param>
        /// <param name="what">The message name, for error messages.</param>
        public PayloadReader(byte[] payload, string what)
        {
            data = payload ?? new byte[0];
            this.what = what;
        }

        /// <summary>Bytes not read yet.</summary>
        public int Remaining
        {
            get { return data.Length - position; }
        }

        /// <summary>Reads a byte.</summary>
        /// <returns>0 .. 255.</returns>
        public int U8()
        {
            Need(1);
            return data[position++];
        }

        /// <summary>Reads an int8.</summary>
        /// <returns>-128 .. 127.</returns>
        public int I8()
        {
            Need(1);
            return (sbyte)data[position++];
        }

        /// <summary>Reads a u16.</summary>
        /// <returns>0 .. 65535.</returns>
        public int U16()
        {
            Need(2);
            int v = data[position] | (data[position + 1] << 8);
            position += 2;
            return v;
        }

        /// <summary>Reads a u32.</summary>
        /// <returns>0 .. 2^32 - 1.</returns>
        public long U32()
        {
            return (uint)I32();
        }

        /// <summary>Reads an i32.</summary>
        /// <returns>The value.</returns>
        public int I32()
        {
            Need(4);
            int v = data[position] | (data[position + 1] << 8) | (data[position + 2] << 16) | (data[position + 3] << 24);
            position += 4;
            return v;
        }

        /// <summary>Reads bytes.</summary>
        /// <param name="count">How many.</param>
        /// <returns>A new array.</returns>
        public byte[] Bytes(int count)
        {
            Need(count);
            var result = new byte[count];
            System.Array.Copy(data, position, result, 0, count);
            position += count;
            return result;
        }

        /// <summary>Reads int8 values.</summary>
        /// <param name="count">How many.</param>
        /// <returns>A new array.</returns>
        public sbyte[] SBytes(int count)
        {
            Need(count);
            var result = new sbyte[count];
            for (int i = 0; i < count; i++)
            {
                result[i] = (sbyte)data[position + i];
            }

            position += count;
            return result;
        }

        /// <summary>Reads a u8-length-prefixed UTF-8 string.</summary>
        /// <returns>The string.</returns>
        public string String8()
        {
            int n = U8();
            Need(n);
            string s = Utf8.Decode(data, position, n);
            position += n;
            return s;
        }

        /// <summary>Reads a u16-length-prefixed UTF-8 string.</summary>
        /// <returns>The string.</returns>
        public string String16()
        {
            int n = U16();
            Need(n);
            string s = Utf8.Decode(data, position, n);
            position += n;
            return s;
        }

        /// <summary>Throws unless every byte was read.</summary>
        public void End()
        {
            if (position != data.Length)
            {
                throw new ProtocolException(ErrorCode.BadPayload, what + ": " + (data.Length - position).ToString() + " unexpected byte(s) after the fields");
            }
        }

        private void Need(int n)
        {
            if (n < 0 || data.Length - position < n)
            {
                throw new ProtocolException(ErrorCode.BadPayload, what + ": payload of " + data.Length.ToString() + " bytes is too short");
            }
        }
    }
}
