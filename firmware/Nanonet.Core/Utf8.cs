namespace Nanonet.Core
{
    /// <summary>
    /// UTF-8 to and from strings. mscorlib 1.17.11 has no System.Text.Encoding (it lives in a separate
    /// nanoFramework package), so the core carries this small codec. Invalid sequences decode to U+FFFD.
    /// </summary>
    public static class Utf8
    {
        /// <summary>Decodes UTF-8 bytes.</summary>
        /// <param name="data">The bytes.</param>
        /// <param name="offset">First byte.</param>
        /// <param name="count">Number of bytes.</param>
        /// <returns>The string.</returns>
        public static string Decode(byte[] data, int offset, int count)
        {
            var chars = new char[count];
            int n = 0;
            int i = offset;
            int end = offset + count;
            while (i < end)
            {
                int b = data[i];
                int need;
                int cp;
                if (b < 0x80)
                {
                    chars[n++] = (char)b;
                    i++;
                    continue;
                }
                else if (b >= 0xC2 && b <= 0xDF)
                {
                    need = 1;
                    cp = b & 0x1F;
                }
                else if (b >= 0xE0 && b <= 0xEF)
                {
                    need = 2;
                    cp = b & 0x0F;
                }
                else if (b >= 0xF0 && b <= 0xF4)
                {
                    need = 3;
                    cp = b & 0x07;
                }
                else
                {
                    chars[n++] = '\uFFFD';
                    i++;
                    continue;
                }

                bool ok = true;
                int j = 1;
                while (ok && j <= need)
                {
                    if (i + j >= end || (data[i + j] & 0xC0) != 0x80)
                    {
                        ok = false;
                        break;
                    }

                    cp = (cp << 6) | (data[i + j] & 0x3F);
                    j++;
                }

                if (ok && ((need == 2 && (cp < 0x800 || (cp >= 0xD800 && cp <= 0xDFFF))) || (need == 3 && (cp < 0x10000 || cp > 0x10FFFF))))
                {
                    ok = false;
                }

                if (!ok)
                {
                    chars[n++] = '\uFFFD';
                    i++;
                    continue;
                }

                if (cp >= 0x10000)
                {
                    cp -= 0x10000;
                    chars[n++] = (char)(0xD800 + (cp >> 10));
                    chars[n++] = (char)(0xDC00 + (cp & 0x3FF));
                }
                else
                {
                    chars[n++] = (char)cp;
                }

                i += need + 1;
            }

            return new string(chars, 0, n);
        }

        /// <summary>Encodes a string as UTF-8 (an unpaired surrogate becomes U+FFFD).</summary>
        /// <param name="text">The string (null is the empty string).</param>
        /// <returns>The bytes.</returns>
        public static byte[] Encode(string text)
        {
            if (text == null)
            {
                return new byte[0];
            }

            int len = 0;
            for (int i = 0; i < text.Length; i++)
            {
                len += Width(text, i, out bool pair);
                if (pair)
                {
                    i++;
                }
            }

            var result = new byte[len];
            int n = 0;
            for (int i = 0; i < text.Length; i++)
            {
                int c = text[i];
                Width(text, i, out bool pair);
                if (pair)
                {
                    c = 0x10000 + ((c - 0xD800) << 10) + (text[i + 1] - 0xDC00);
                    i++;
                }
                else if (c >= 0xD800 && c <= 0xDFFF)
                {
                    c = 0xFFFD;
                }

                if (c < 0x80)
                {
                    result[n++] = (byte)c;
                }
                else if (c < 0x800)
                {
                    result[n++] = (byte)(0xC0 | (c >> 6));
                    result[n++] = (byte)(0x80 | (c & 0x3F));
                }
                else if (c < 0x10000)
                {
                    result[n++] = (byte)(0xE0 | (c >> 12));
                    result[n++] = (byte)(0x80 | ((c >> 6) & 0x3F));
                    result[n++] = (byte)(0x80 | (c & 0x3F));
                }
                else
                {
                    result[n++] = (byte)(0xF0 | (c >> 18));
                    result[n++] = (byte)(0x80 | ((c >> 12) & 0x3F));
                    result[n++] = (byte)(0x80 | ((c >> 6) & 0x3F));
                    result[n++] = (byte)(0x80 | (c & 0x3F));
                }
            }

            return result;
        }

        private static int Width(string text, int i, out bool pair)
        {
            int c = text[i];
            pair = c >= 0xD800 && c <= 0xDBFF && i + 1 < text.Length && text[i + 1] >= 0xDC00 && text[i + 1] <= 0xDFFF;
            if (pair)
            {
                return 4;
            }

            if (c < 0x80)
            {
                return 1;
            }

            return c < 0x800 ? 2 : 3;
        }
    }
}
