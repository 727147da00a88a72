import Foundation

/// JSON with sorted keys, so that the same value always gives the same text and an unchanged
/// document is recognised (and not rewritten) by comparing strings.
public enum CanonicalJSON {
    public static func string(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
