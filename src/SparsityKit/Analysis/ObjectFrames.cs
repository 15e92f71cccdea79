using System.Reflection;
using Microsoft.Data.Analysis;

namespace SparsityKit.Analysis;

/// <summary>Any list of records (or other objects) as a DataFrame: one row per item, one column per public property.</summary>
public static class ObjectFrames
{
    /// <summary>
    /// One row per item and one column per public readable property of <typeparamref name="T"/>, in declaration order:
    /// numbers (nullable too) and booleans keep their type, anything else becomes text. A notebook shows the frame as a
    /// formatted table (percentages for accuracy and sparsity columns; see <see cref="FrameFormat"/>).
    /// </summary>
    public static DataFrame ToDataFrame<T>(this IEnumerable<T> items)
    {
        ArgumentNullException.ThrowIfNull(items);
        var rows = items.ToList();
        var properties = typeof(T).GetProperties(BindingFlags.Public | BindingFlags.Instance)
            .Where(p => p.CanRead && p.GetIndexParameters().Length == 0).OrderBy(p => p.MetadataToken).ToList();
        if (properties.Count == 0)
            throw new ArgumentException($"{typeof(T).Name} has no public properties to make columns of; use a record such as record Row(double Target, double Accuracy).", nameof(items));
        return new DataFrame(properties.Select(p => Column(p, rows)));
    }

    private static DataFrameColumn Column<T>(PropertyInfo property, List<T> rows)
    {
        var type = Nullable.GetUnderlyingType(property.PropertyType) ?? property.PropertyType;
        var values = rows.Select(r => r is null ? null : property.GetValue(r)).ToList();
        string name = property.Name;
        if (type == typeof(double) || type == typeof(float)) return new DoubleDataFrameColumn(name, values.Select(v => v is null ? (double?)null : Convert.ToDouble(v)));
        if (type == typeof(int) || type == typeof(short)) return new Int32DataFrameColumn(name, values.Select(v => v is null ? (int?)null : Convert.ToInt32(v)));
        if (type == typeof(long)) return new Int64DataFrameColumn(name, values.Select(v => (long?)v));
        if (type == typeof(bool)) return new BooleanDataFrameColumn(name, values.Select(v => (bool?)v));
        return new StringDataFrameColumn(name, values.Select(v => v?.ToString()));
    }
}
