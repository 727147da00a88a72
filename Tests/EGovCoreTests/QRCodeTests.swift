@testable import EGovCore
import Testing

/// The QR encoder's parts against the standard's worked example; whole symbols are read back with zbarimg in
/// the server tests (`SignatureStampTests`).
@Suite("QR codes")
struct QRCodeTests {
    @Test("Reed–Solomon codewords of the standard's 1-M example (HELLO WORLD)")
    func reedSolomon() {
        let data: [UInt8] = [32, 91, 11, 120, 209, 114, 220, 77, 67, 64, 236, 17, 236, 17, 236, 17]
        #expect(ReedSolomon.remainder(data, divisor: ReedSolomon.divisor(degree: 10)) == [196, 35, 39, 119, 235, 215, 231, 226, 93, 23])
    }

    @Test("the smallest version that holds the text; finder patterns in three corners; an ECI header only for non-ASCII")
    func structure() throws {
        let short = try QRCode("/kiem-tra-chu-ky?ma=ABCD-EFGH")
        #expect(short.version == 3 && short.size == 29)
        // A finder's dark ring and core, light separator: the top-left corner's first row.
        #expect((0..<8).map { short.isDark(x: $0, y: 0) } == [true, true, true, true, true, true, true, false])
        #expect(short.isDark(x: short.size - 1, y: 0) && short.isDark(x: 0, y: short.size - 1) && short.isDark(x: 8, y: short.size - 8))
        #expect(try QRCode(String(repeating: "a", count: 14)).version == 1)
        #expect(try QRCode(String(repeating: "a", count: 15)).version == 2)
        // "ủ" is three UTF-8 bytes and the ECI header 12 bits: four of them fill 120 of version 1's 128 bits, five do not fit.
        #expect(try QRCode(String(repeating: "ủ", count: 4)).version == 1)
        #expect(try QRCode(String(repeating: "ủ", count: 5)).version == 2)
        #expect(QRCode.codewords(Array("A".utf8), utf8: false, version: 1).count == 26)
        #expect(QRCode.codewords(Array("A".utf8), utf8: false, version: 1).prefix(3) == [0x40, 0x14, 0x10])
    }
}
