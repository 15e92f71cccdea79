using System.Text;

namespace SparsityKit.Train.CommandLine;

/// <summary>A text writer that hands each complete line to <paramref name="writeLine"/> (and a last partial line on dispose).</summary>
internal sealed class LineWriter(Action<string> writeLine) : TextWriter
{
    private readonly StringBuilder _line = new();

    public override Encoding Encoding => Encoding.UTF8;

    public override void Write(char value)
    {
        if (value == '\n')
        {
            if (_line.Length > 0 && _line[^1] == '\r') _line.Length--;
            writeLine(_line.ToString());
            _line.Clear();
        }
        else _line.Append(value);
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && _line.Length > 0) { writeLine(_line.ToString()); _line.Clear(); }
        base.Dispose(disposing);
    }
}
