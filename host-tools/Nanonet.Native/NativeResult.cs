using System.Globalization;
using System.Text;

namespace Nanonet.Native;

/// <summary>
/// Outcome of an engine call: the nn_status code with its stable name and sentence, and where the model
/// reader located the fault (nn_diag; -1 where not applicable).
/// </summary>
/// <param name="Status">nn_status value (0 = NN_OK).</param>
/// <param name="StatusName">Stable identifier such as "NN_ERR_BAD_CRC".</param>
/// <param name="Message">One-sentence description from the engine.</param>
/// <param name="OpIndex">Op table index of the fault, or -1.</param>
/// <param name="TensorIndex">Tensor table index of the fault, or -1.</param>
/// <param name="ByteOffset">Offset in the blob of the offending field, or -1.</param>
public readonly record struct NativeResult(int Status, string StatusName, string Message, int OpIndex, int TensorIndex, int ByteOffset)
{
    /// <summary>True when <see cref="Status"/> is NN_OK.</summary>
    public bool IsOk => Status == 0;

    /// <summary>"NAME: message (op N, tensor M)" with the location parts present only when known.</summary>
    /// <returns>The formatted result.</returns>
    public override string ToString()
    {
        var sb = new StringBuilder();
        sb.Append(StatusName).Append(": ").Append(Message);
        var where = new List<string>();
        if (OpIndex >= 0)
        {
            where.Add("op " + OpIndex.ToString(CultureInfo.InvariantCulture));
        }

        if (TensorIndex >= 0)
        {
            where.Add("tensor " + TensorIndex.ToString(CultureInfo.InvariantCulture));
        }

        if (where.Count > 0)
        {
            sb.Append(" (").Append(string.Join(", ", where)).Append(')');
        }

        return sb.ToString();
    }
}
