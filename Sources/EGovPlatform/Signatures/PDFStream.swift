import CZlib
import Foundation

/// Decoding a PDF stream's data (ISO 32000-1 §7.3.8, §7.4) as far as reading a file's structure needs it: no
/// filter, or FlateDecode with or without a PNG predictor — what cross-reference and object streams use
/// (§7.5.7, §7.5.8). Decoded sizes are bounded, so a small hostile file cannot inflate into the server's memory.
enum PDFStream {
    /// At most this many decoded bytes per stream.
    static let maxDecodedBytes = 64 << 20

    /// The decoded data of a stream whose dictionary is `dictionary` and whose bytes in the file are `data`.
    static func decode(_ data: ArraySlice<UInt8>, dictionary: PDFDictionary) throws -> [UInt8] {
        let filters: [PDFValue]
        switch dictionary["Filter"] {
        case nil, .null?: filters = []
        case .array(let items)?: filters = items
        case let single?: filters = [single]
        }
        guard filters.count <= 1 else { throw PDFParser.Malformed(description: "chained stream filters are not supported") }
        var decoded: [UInt8]
        switch filters.first?.nameValue {
        case nil where filters.isEmpty: decoded = Array(data)
        case "FlateDecode"?, "Fl"?: decoded = try inflate(data)
        default: throw PDFParser.Malformed(description: "stream filter not supported")
        }
        var parameters: PDFDictionary?
        switch dictionary["DecodeParms"] ?? dictionary["DP"] {
        case .dictionary(let single)?: parameters = single
        case .array(let items)?: parameters = items.first?.dictionary
        default: parameters = nil
        }
        if let parameters, let predictor = parameters["Predictor"]?.integer, predictor > 1 {
            guard predictor >= 10, predictor <= 15 else { throw PDFParser.Malformed(description: "TIFF predictor not supported") }
            decoded = try unpredictPNG(decoded, columns: parameters["Columns"]?.integer ?? 1, colors: parameters["Colors"]?.integer ?? 1,
                                       bitsPerComponent: parameters["BitsPerComponent"]?.integer ?? 8)
        }
        return decoded
    }

    /// zlib's inflate, bounded by `maxDecodedBytes`. A stream cut short after its last complete block keeps what
    /// was decoded, as PDF readers do; corrupt data is an error.
    static func inflate(_ input: ArraySlice<UInt8>) throws -> [UInt8] {
        let malformed = PDFParser.Malformed(description: "bad FlateDecode data")
        guard !input.isEmpty, input.count < Int(UInt32.max) else { throw malformed }
        var stream = z_stream()
        guard egov_inflate_init(&stream) == Z_OK else { throw malformed }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        output.reserveCapacity(min(maxDecodedBytes, input.count * 4))
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        try input.withUnsafeBufferPointer { source in
            stream.next_in = UnsafeMutablePointer(mutating: source.baseAddress)
            stream.avail_in = UInt32(source.count)
            while true {
                let status = chunk.withUnsafeMutableBufferPointer { target -> Int32 in
                    stream.next_out = target.baseAddress
                    stream.avail_out = UInt32(target.count)
                    return CZlib.inflate(&stream, Z_NO_FLUSH)
                }
                let produced = chunk.count - Int(stream.avail_out)
                guard produced <= maxDecodedBytes - output.count else { throw PDFParser.Malformed(description: "stream too large when decoded") }
                output += chunk[0..<produced]
                switch status {
                case Z_STREAM_END: return
                case Z_OK: continue
                case Z_BUF_ERROR where stream.avail_in == 0: return
                default: throw malformed
                }
            }
        }
        return output
    }

    /// zlib's compression at its best level, for the streams a signature's stamp adds (its embedded font).
    static func deflate(_ input: ArraySlice<UInt8>) throws -> [UInt8] {
        var length = compressBound(uLong(input.count))
        var output = [UInt8](repeating: 0, count: Int(length))
        let status = input.withUnsafeBufferPointer { source in
            output.withUnsafeMutableBufferPointer { target in
                compress2(target.baseAddress, &length, source.baseAddress, uLong(source.count), Z_BEST_COMPRESSION)
            }
        }
        guard status == Z_OK else { throw PDFParser.Malformed(description: "compression failed") }
        return Array(output.prefix(Int(length)))
    }

    /// Undoes the PNG predictors (RFC 2083 §6): each row is a filter-type byte and `columns` samples.
    static func unpredictPNG(_ data: [UInt8], columns: Int, colors: Int, bitsPerComponent: Int) throws -> [UInt8] {
        guard (1...(1 << 20)).contains(columns), (1...32).contains(colors), [1, 2, 4, 8, 16].contains(bitsPerComponent) else {
            throw PDFParser.Malformed(description: "bad predictor parameters")
        }
        let rowLength = (columns * colors * bitsPerComponent + 7) / 8
        let pixel = max(1, (colors * bitsPerComponent + 7) / 8)
        var out: [UInt8] = []
        out.reserveCapacity(data.count)
        var previous = [UInt8](repeating: 0, count: rowLength)
        var row = [UInt8](repeating: 0, count: rowLength)
        var at = 0
        while at < data.count {
            let type = data[at]
            let available = min(rowLength, data.count - at - 1)
            for i in 0..<rowLength { row[i] = i < available ? data[at + 1 + i] : 0 }
            for i in 0..<rowLength {
                let left = i >= pixel ? Int(row[i - pixel]) : 0
                let up = Int(previous[i])
                let upLeft = i >= pixel ? Int(previous[i - pixel]) : 0
                let add: Int
                switch type {
                case 0: add = 0
                case 1: add = left
                case 2: add = up
                case 3: add = (left + up) / 2
                case 4:
                    let p = left + up - upLeft
                    let (pa, pb, pc) = (abs(p - left), abs(p - up), abs(p - upLeft))
                    add = pa <= pb && pa <= pc ? left : (pb <= pc ? up : upLeft)
                default: throw PDFParser.Malformed(description: "bad PNG predictor row")
                }
                row[i] = UInt8(truncatingIfNeeded: Int(row[i]) + add)
            }
            out += row[0..<available]
            swap(&previous, &row)
            at += 1 + rowLength
        }
        return out
    }
}
