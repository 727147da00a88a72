import Foundation
import Yams

/// Writes one YAML file of a pack the way every exporter must: Vietnamese unescaped, no line
/// wrapping, keys in the order the file's type declares them, replaced atomically.
public enum PackFileWriter {
    public static func write(_ value: some Encodable, to url: URL) throws {
        let encoder = YAMLEncoder()
        encoder.options.allowUnicode = true
        encoder.options.width = -1
        try Data(try encoder.encode(value).utf8).write(to: url, options: .atomic)
    }
}
