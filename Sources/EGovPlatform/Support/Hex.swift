import Crypto
import Foundation

extension Sequence where Element == UInt8 {
    /// Lower-case hexadecimal, the form every digest is stored and compared in.
    public var hexEncoded: String {
        let digits = Array("0123456789abcdef".utf8)
        var out: [UInt8] = []
        out.reserveCapacity(underestimatedCount * 2)
        for byte in self {
            out.append(digits[Int(byte >> 4)])
            out.append(digits[Int(byte & 0x0F)])
        }
        return String(decoding: out, as: UTF8.self)
    }
}

public enum Digests {
    public static func sha256Hex(_ data: Data) -> String { SHA256.hash(data: data).hexEncoded }
    public static func sha256Hex(_ text: String) -> String { sha256Hex(Data(text.utf8)) }
}
