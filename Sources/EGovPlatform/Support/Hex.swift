import Crypto
import Foundation

extension Sequence where Element == UInt8 {
    /// Lower-case hexadecimal, the form every digest is stored and compared in.
    public var hexEncoded: String { map { String(format: "%02x", $0) }.joined() }
}

public enum Digests {
    public static func sha256Hex(_ data: Data) -> String { SHA256.hash(data: data).hexEncoded }
    public static func sha256Hex(_ text: String) -> String { sha256Hex(Data(text.utf8)) }
}
