namespace Nanonet.Core
{
    /// <summary>
    /// CRC-32/ISO-HDLC (zlib's crc32: reflected polynomial 0xEDB88320, initial value and final xor 0xFFFFFFFF;
    /// check value of "123456789" is 0xCBF43926). The .nnb format and the serial protocol both use it; the device
    /// has no library for it, so the core carries its own table-driven implementation.
    /// </summary>
    public static class Crc32
    {
        private static readonly uint[] Table = BuildTable();

        /// <summary>The CRC of <paramref name="count"/> bytes of <paramref name="data"/> from <paramref name="offset"/>.</summary>
        /// <param name="data">The bytes.</param>
        /// <param name="offset">First byte.</param>
        /// <param name="count">Number of bytes.</param>
        /// <returns>The CRC-32.</returns>
        public static uint Compute(byte[] data, int offset, int count)
        {
            return Finish(Update(Start, data, offset, count));
        }

        /// <summary>The running value to start an incremental computation with.</summary>
        public const uint Start = 0xFFFFFFFFu;

        /// <summary>Adds bytes to a running value (start with <see cref="Start"/>, end with <see cref="Finish"/>).</summary>
        /// <param name="running">The running value.</param>
        /// <param name="data">The bytes.</param>
        /// <param name="offset">First byte.</param>
        /// <param name="count">Number of bytes.</param>
        /// <returns>The new running value.</returns>
        public static uint Update(uint running, byte[] data, int offset, int count)
        {
            if (data == null)
            {
                throw new System.ArgumentNullException("data");
            }

            if (offset < 0 || count < 0 || offset > data.Length - count)
            {
                throw new System.ArgumentOutOfRangeException("count", "range outside the array");
            }

            uint crc = running;
            int end = offset + count;
            for (int i = offset; i < end; i++)
            {
                crc = Table[(crc ^ data[i]) & 0xFF] ^ (crc >> 8);
            }

            return crc;
        }

        /// <summary>Adds one byte to a running value.</summary>
        /// <param name="running">The running value.</param>
        /// <param name="value">The byte.</param>
        /// <returns>The new running value.</returns>
        public static uint UpdateByte(uint running, byte value)
        {
            return Table[(running ^ value) & 0xFF] ^ (running >> 8);
        }

        /// <summary>Turns a running value into the CRC.</summary>
        /// <param name="running">The running value.</param>
        /// <returns>The CRC-32.</returns>
        public static uint Finish(uint running)
        {
            return running ^ 0xFFFFFFFFu;
        }

        private static uint[] BuildTable()
        {
            var table = new uint[256];
            for (uint n = 0; n < 256; n++)
            {
                uint c = n;
                for (int k = 0; k < 8; k++)
                {
                    c = (c & 1) != 0 ? 0xEDB88320u ^ (c >> 1) : c >> 1;
                }

                table[n] = c;
            }

            return table;
        }
    }
}
