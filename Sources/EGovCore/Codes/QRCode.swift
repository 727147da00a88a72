/// A QR code (ISO/IEC 18004) for a short text such as a verification address: byte mode (UTF-8, declared
/// with an ECI header when the text is not ASCII, so readers do not guess another charset), error correction level M (about 15 % of the symbol may be damaged), versions 1 to 10 (up to 213 bytes), the mask with the
/// lowest penalty. The result is the matrix of modules; drawing it (a PDF stamp, a page) is the caller's.
public struct QRCode: Sendable {
    /// Modules per side: 17 + 4 × version.
    public let size: Int
    public let version: Int
    /// Row-major: `modules[y * size + x]` is dark.
    public let modules: [Bool]

    public func isDark(x: Int, y: Int) -> Bool { modules[y * size + x] }

    public enum Failure: Error, Equatable { case tooLong }

    /// Level M, per version 1…10: error-correction codewords per block, and the blocks' data codewords.
    static let blocks: [(ec: Int, data: [Int])] = [
        (10, [16]), (16, [28]), (26, [44]), (18, [32, 32]), (24, [43, 43]),
        (16, [27, 27, 27, 27]), (18, [31, 31, 31, 31]), (22, [38, 38, 39, 39]), (22, [36, 36, 36, 37, 37]), (26, [43, 43, 43, 43, 44]),
    ]
    static let alignment: [[Int]] = [[], [6, 18], [6, 22], [6, 26], [6, 30], [6, 34], [6, 22, 38], [6, 24, 42], [6, 26, 46], [6, 28, 50]]

    public init(_ text: String) throws {
        let bytes = Array(text.utf8)
        let eci = !text.unicodeScalars.allSatisfy(\.isASCII)
        // The smallest version whose data codewords hold the ECI header, the mode, the length and the bytes.
        guard let version = (1...10).first(where: { v in
            (eci ? 12 : 0) + 4 + (v < 10 ? 8 : 16) + bytes.count * 8 <= Self.blocks[v - 1].data.reduce(0, +) * 8
        }) else { throw Failure.tooLong }
        self.version = version
        size = 17 + 4 * version
        var matrix = Matrix(size: size)
        matrix.drawFunctionPatterns(version: version)
        matrix.place(Self.codewords(bytes, utf8: eci, version: version))
        var best = (mask: 0, penalty: Int.max)
        for mask in 0..<8 {
            matrix.applyMask(mask)
            matrix.drawFormat(mask: mask)
            let penalty = matrix.penalty()
            if penalty < best.penalty { best = (mask, penalty) }
            matrix.applyMask(mask) // undo: masking is an exclusive or
        }
        matrix.applyMask(best.mask)
        matrix.drawFormat(mask: best.mask)
        modules = matrix.dark
    }

    /// The data codewords (mode, length, bytes, terminator, padding), split into blocks, each with its
    /// Reed–Solomon codewords, interleaved.
    static func codewords(_ bytes: [UInt8], utf8 eci: Bool, version: Int) -> [UInt8] {
        let (ecLength, dataLengths) = blocks[version - 1]
        let capacity = dataLengths.reduce(0, +) * 8
        var bits: [Bool] = []
        func append(_ value: Int, _ count: Int) { for i in stride(from: count - 1, through: 0, by: -1) { bits.append((value >> i) & 1 == 1) } }
        if eci {
            append(0b0111, 4) // ECI mode, designator 26: UTF-8
            append(26, 8)
        }
        append(0b0100, 4)
        append(bytes.count, version < 10 ? 8 : 16)
        for byte in bytes { append(Int(byte), 8) }
        append(0, min(4, capacity - bits.count))
        append(0, (8 - bits.count % 8) % 8)
        var data: [UInt8] = stride(from: 0, to: bits.count, by: 8).map { start in
            (0..<8).reduce(UInt8(0)) { $0 << 1 | (bits[start + $1] ? 1 : 0) }
        }
        for pad in [UInt8(0xEC), 0x11].cycled(upTo: capacity / 8 - data.count) { data.append(pad) }

        let divisor = ReedSolomon.divisor(degree: ecLength)
        var split: [[UInt8]] = []
        var at = 0
        for length in dataLengths {
            split.append(Array(data[at..<(at + length)]))
            at += length
        }
        let corrections = split.map { ReedSolomon.remainder($0, divisor: divisor) }
        var out: [UInt8] = []
        for i in 0..<(dataLengths.max() ?? 0) { for block in split where i < block.count { out.append(block[i]) } }
        for i in 0..<ecLength { for correction in corrections { out.append(correction[i]) } }
        return out
    }

    /// The modules while the symbol is built, and which of them are function patterns (not data).
    struct Matrix {
        let size: Int
        var dark: [Bool]
        var function: [Bool]

        init(size: Int) {
            self.size = size
            dark = Array(repeating: false, count: size * size)
            function = Array(repeating: false, count: size * size)
        }

        mutating func set(_ x: Int, _ y: Int, _ value: Bool) {
            dark[y * size + x] = value
            function[y * size + x] = true
        }

        mutating func drawFunctionPatterns(version: Int) {
            for i in 0..<size {
                set(6, i, i % 2 == 0)
                set(i, 6, i % 2 == 0)
            }
            // Finders with their light separators, at three corners.
            for (cx, cy) in [(3, 3), (size - 4, 3), (3, size - 4)] {
                for dy in -4...4 {
                    for dx in -4...4 where (0..<size).contains(cx + dx) && (0..<size).contains(cy + dy) {
                        let distance = max(abs(dx), abs(dy))
                        set(cx + dx, cy + dy, distance != 2 && distance != 4)
                    }
                }
            }
            let positions = QRCode.alignment[version - 1]
            for (i, cy) in positions.enumerated() {
                for (j, cx) in positions.enumerated() {
                    // Not where a finder is.
                    if (i == 0 && j == 0) || (i == 0 && j == positions.count - 1) || (i == positions.count - 1 && j == 0) { continue }
                    for dy in -2...2 { for dx in -2...2 { set(cx + dx, cy + dy, max(abs(dx), abs(dy)) != 1) } }
                }
            }
            drawFormat(mask: 0) // reserves the format areas; drawn again with the chosen mask
            if version >= 7 {
                var remainder = version
                for _ in 0..<12 { remainder = (remainder << 1) ^ ((remainder >> 11) * 0x1F25) }
                let bits = version << 12 | remainder
                for i in 0..<18 {
                    let bit = (bits >> i) & 1 == 1
                    let (a, b) = (size - 11 + i % 3, i / 3)
                    set(a, b, bit)
                    set(b, a, bit)
                }
            }
        }

        /// Level M (00) and the mask, BCH-protected, in both copies, and the dark module.
        mutating func drawFormat(mask: Int) {
            let data = mask
            var remainder = data
            for _ in 0..<10 { remainder = (remainder << 1) ^ ((remainder >> 9) * 0x537) }
            let bits = (data << 10 | remainder) ^ 0x5412
            func bit(_ i: Int) -> Bool { (bits >> i) & 1 == 1 }
            for i in 0...5 { set(8, i, bit(i)) }
            set(8, 7, bit(6))
            set(8, 8, bit(7))
            set(7, 8, bit(8))
            for i in 9..<15 { set(14 - i, 8, bit(i)) }
            for i in 0..<8 { set(size - 1 - i, 8, bit(i)) }
            for i in 8..<15 { set(8, size - 15 + i, bit(i)) }
            set(8, size - 8, true)
        }

        /// The codewords' bits in the two-column zigzag from the bottom right, around the function patterns.
        mutating func place(_ codewords: [UInt8]) {
            var i = 0
            var right = size - 1
            while right >= 1 {
                if right == 6 { right = 5 }
                for vertical in 0..<size {
                    for j in 0..<2 {
                        let x = right - j
                        let upward = (right + 1) & 2 == 0
                        let y = upward ? size - 1 - vertical : vertical
                        guard !function[y * size + x], i < codewords.count * 8 else { continue }
                        dark[y * size + x] = (codewords[i >> 3] >> (7 - (i & 7))) & 1 == 1
                        i += 1
                    }
                }
                right -= 2
            }
        }

        mutating func applyMask(_ mask: Int) {
            for y in 0..<size {
                for x in 0..<size where !function[y * size + x] {
                    let invert: Bool
                    switch mask {
                    case 0: invert = (x + y) % 2 == 0
                    case 1: invert = y % 2 == 0
                    case 2: invert = x % 3 == 0
                    case 3: invert = (x + y) % 3 == 0
                    case 4: invert = (x / 3 + y / 2) % 2 == 0
                    case 5: invert = x * y % 2 + x * y % 3 == 0
                    case 6: invert = (x * y % 2 + x * y % 3) % 2 == 0
                    default: invert = ((x + y) % 2 + x * y % 3) % 2 == 0
                    }
                    if invert { dark[y * size + x].toggle() }
                }
            }
        }

        /// The standard's four penalty rules: runs of one colour, 2×2 blocks, finder-like patterns, imbalance.
        func penalty() -> Int {
            var total = 0
            let finderLike: [[Bool]] = [[true, false, true, true, true, false, true, false, false, false, false],
                                        [false, false, false, false, true, false, true, true, true, false, true]]
            for horizontal in [true, false] {
                for line in 0..<size {
                    let cells = (0..<size).map { horizontal ? dark[line * size + $0] : dark[$0 * size + line] }
                    var run = 1
                    for i in 1...cells.count {
                        if i < cells.count, cells[i] == cells[i - 1] {
                            run += 1
                        } else {
                            if run >= 5 { total += 3 + (run - 5) }
                            run = 1
                        }
                    }
                    for start in 0...(cells.count - 11) {
                        for pattern in finderLike where Array(cells[start..<(start + 11)]) == pattern { total += 40 }
                    }
                }
            }
            for y in 0..<(size - 1) {
                for x in 0..<(size - 1) {
                    let c = dark[y * size + x]
                    if c == dark[y * size + x + 1], c == dark[(y + 1) * size + x], c == dark[(y + 1) * size + x + 1] { total += 3 }
                }
            }
            let darkCount = dark.filter { $0 }.count
            let percent = darkCount * 100 / (size * size)
            total += abs(percent - 50) / 5 * 10
            return total
        }
    }
}

/// Reed–Solomon error correction over GF(256) with the QR polynomial x⁸ + x⁴ + x³ + x² + 1.
enum ReedSolomon {
    static func multiply(_ x: UInt8, _ y: UInt8) -> UInt8 {
        var z = 0
        for i in stride(from: 7, through: 0, by: -1) {
            z = (z << 1) ^ ((z >> 7) * 0x11D)
            z ^= ((Int(y) >> i) & 1) * Int(x)
        }
        return UInt8(z)
    }

    /// The generator polynomial of `degree`, highest coefficient (1) left out.
    static func divisor(degree: Int) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: degree)
        result[degree - 1] = 1
        var root: UInt8 = 1
        for _ in 0..<degree {
            for j in 0..<degree {
                result[j] = multiply(result[j], root)
                if j + 1 < degree { result[j] ^= result[j + 1] }
            }
            root = multiply(root, 0x02)
        }
        return result
    }

    static func remainder(_ data: [UInt8], divisor: [UInt8]) -> [UInt8] {
        var result = [UInt8](repeating: 0, count: divisor.count)
        for byte in data {
            let factor = byte ^ result.removeFirst()
            result.append(0)
            for i in 0..<result.count { result[i] ^= multiply(divisor[i], factor) }
        }
        return result
    }
}

private extension Array {
    /// The elements repeated in turn until there are `count`.
    func cycled(upTo count: Int) -> [Element] {
        guard !isEmpty, count > 0 else { return [] }
        return (0..<count).map { self[$0 % self.count] }
    }
}
