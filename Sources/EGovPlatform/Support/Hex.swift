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

extension Array where Element == UInt8 {
    /// The bytes that hexadecimal `digits` spell (either case), passing over the characters `skipping` accepts
    /// (PDF's white space in a hex string); an odd last digit is read as followed by 0, as PDF does. Nil when
    /// another character is found.
    public init?<Digits: Collection<UInt8>>(hexDigits digits: Digits, skipping: (UInt8) -> Bool = { _ in false }) {
        var values: [UInt8] = []
        values.reserveCapacity(digits.count)
        for byte in digits {
            switch byte {
            case 0x30...0x39: values.append(byte - 0x30)
            case 0x41...0x46: values.append(byte - 0x41 + 10)
            case 0x61...0x66: values.append(byte - 0x61 + 10)
            default:
                guard skipping(byte) else { return nil }
            }
        }
        if values.count % 2 == 1 { values.append(0) }
        self = stride(from: 0, to: values.count, by: 2).map { values[$0] << 4 | values[$0 + 1] }
    }
}

public enum Digests {
    public static func sha256Hex(_ data: Data) -> String { SHA256.hash(data: data).hexEncoded }
    public static func sha256Hex(_ text: String) -> String { sha256Hex(Data(text.utf8)) }
}
