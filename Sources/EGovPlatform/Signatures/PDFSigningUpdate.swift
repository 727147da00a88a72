import Crypto
import EGovCore
import Foundation

/// A signature added to a PDF as an incremental update (ISO 32000-1 §7.5.6, §12.8): the original bytes stay as
/// they are, and after them come a signature dictionary with `/ByteRange` and a `/Contents` placeholder, a
/// signature field (a widget on the last page), the catalog's `/AcroForm` and the page's `/Annots` with it,
/// and a cross-reference section whose `/Prev` is the original's (a cross-reference stream when the original's
/// last section is one). Earlier signatures stay valid.
///
/// The original is kept as it came and the update apart, so signing hashes the original where it lies and
/// copies it once, into the signed file: at a megabyte the copies, not the parsing, are the cost.
struct PDFSigningUpdate {
    /// Room for the CMS SignedData in `/Contents`: a certificate chain, a signature and, later, a time-stamp.
    static let contentsCapacity = 16_384

    struct Options {
        var subFilter = "ETSI.CAdES.detached"
        var reason: String?
        var location: String?
        var signingTime: Date
        /// A visible stamp on the last page, or none (an invisible signature).
        var stamp: SignatureStamp?
    }

    /// The file as it came.
    let original: [UInt8]
    /// What follows it: the objects with the placeholder, the cross-reference section and the trailer.
    let update: [UInt8]
    /// Where `/Contents` (from `<` to after `>`) sits in `update`.
    let contentsRange: Range<Int>

    /// The bytes the signature covers: everything but `/Contents`.
    var signedChunks: [ArraySlice<UInt8>] {
        [original[...], update[..<contentsRange.lowerBound], update[contentsRange.upperBound...]]
    }

    /// The signed file: the signed ranges hashed, a detached CMS SignedData by `signer` over them (with the
    /// signature time-stamp `stamper` gives, PAdES B-T, when there is one) written into the placeholder.
    func signed(by signer: CMSSignedData.Signer, stamper: TimeStampAuthority.Stamper?, at time: Date) throws -> [UInt8] {
        let signature = try signature(by: signer)
        return try filled(with: try signature.assembled(timeStampToken: try stamper?.token(sha256: Array(SHA256.hash(data: signature.value)), at: time)))
    }

    /// The signed ranges hashed and signed by `signer`; `filled(with: signature.assembled(…))` then makes the file,
    /// once a time-stamp over the signature value has come, or without one.
    func signature(by signer: CMSSignedData.Signer) throws -> CMSSignedData.Signature {
        var hasher = SHA256()
        for chunk in signedChunks { chunk.withUnsafeBytes { hasher.update(bufferPointer: $0) } }
        return try CMSSignedData.Signature(contentType: CMSSignedData.idData, sha256: Array(hasher.finalize()), encapsulated: nil, signer: signer)
    }

    /// The signed file: `cms` written into the placeholder as hexadecimal.
    func filled(with cms: [UInt8]) throws -> [UInt8] {
        guard cms.count <= Self.contentsCapacity else { throw PDFParser.Malformed(description: "signature larger than its placeholder") }
        let hex = Array(cms.hexEncoded.uppercased().utf8)
        let hexEnd = contentsRange.lowerBound + 1 + hex.count
        var out: [UInt8] = []
        out.reserveCapacity(original.count + update.count)
        out += original
        out += update[..<(contentsRange.lowerBound + 1)]
        out += hex
        out += update[hexEnd...]
        return out
    }

    init(_ original: [UInt8], options: Options) throws {
        let file = try PDFFile(original)
        guard let root = file.trailer["Root"]?.reference, var catalog = try file.object(root.number).dictionary else {
            throw PDFParser.Malformed(description: "no catalog")
        }
        let page = try Self.lastPage(of: catalog, in: file)
        var next = try file.size
        let signatureNumber = next, fieldNumber = next + 1
        next += 2
        let stampObjects = try options.stamp?.objects(first: next) ?? []
        next += stampObjects.count
        let xrefStreamNumber: Int? = file.usesXRefStreams ? next : nil
        next += file.usesXRefStreams ? 1 : 0
        var updates: [(number: Int, generation: Int, value: [UInt8])] = []
        func update(_ number: Int, _ generation: Int, _ value: PDFValue) { updates.append((number, generation, value.bytes)) }

        // The catalog's form gets the field; the form, or its field list, may be an object of its own.
        var fieldCount = 0
        let form = catalog["AcroForm"]
        var formDictionary = try file.resolve(form)?.dictionary ?? PDFDictionary()
        if let fieldsRef = formDictionary["Fields"]?.reference {
            let fields = try file.object(fieldsRef.number).array ?? []
            fieldCount = fields.count
            update(fieldsRef.number, fieldsRef.generation, .array(fields + [.reference(fieldNumber, 0)]))
        } else {
            let fields = formDictionary["Fields"]?.array ?? []
            fieldCount = fields.count
            formDictionary["Fields"] = .array(fields + [.reference(fieldNumber, 0)])
        }
        formDictionary["SigFlags"] = .number("3")
        if let formRef = form?.reference {
            update(formRef.number, formRef.generation, .dictionary(formDictionary))
        } else {
            catalog["AcroForm"] = .dictionary(formDictionary)
            update(root.number, root.generation, .dictionary(catalog))
        }

        // The last page shows the field: invisible (an empty rectangle), as PDF/A and PAdES readers expect, or the stamp.
        var pageDictionary = page.dictionary
        if let annotsRef = pageDictionary["Annots"]?.reference {
            update(annotsRef.number, annotsRef.generation, .array((try file.object(annotsRef.number).array ?? []) + [.reference(fieldNumber, 0)]))
        } else {
            pageDictionary["Annots"] = .array((pageDictionary["Annots"]?.array ?? []) + [.reference(fieldNumber, 0)])
            update(page.number, page.generation, .dictionary(pageDictionary))
        }
        var rectangle = [0.0, 0, 0, 0]
        if !stampObjects.isEmpty {
            rectangle = SignatureStamp.rectangle(slot: fieldCount, in: try Self.pageBox(page.dictionary, in: file))
            for object in stampObjects { updates.append((object.number, 0, object.value)) }
        }
        var field = PDFDictionary([
            ("Type", .name("Annot")), ("Subtype", .name("Widget")), ("FT", .name("Sig")),
            ("T", PDFValue.text("Signature\(fieldCount + 1)")), ("V", .reference(signatureNumber, 0)), ("P", .reference(page.number, page.generation)),
            ("Rect", .array(rectangle.map { .number(SignatureStamp.number($0)) })), ("F", .number("132")),
        ])
        if let appearance = stampObjects.first {
            field["AP"] = .dictionary(PDFDictionary([("N", .reference(appearance.number, 0))]))
        }
        update(fieldNumber, 0, .dictionary(field))

        // The signature dictionary, written by hand so the placeholders' offsets are known.
        var signature = Array("<</Type /Sig /Filter /Adobe.PPKLite /SubFilter /\(options.subFilter) /ByteRange [".utf8)
        let byteRangeAt = signature.count
        signature += [UInt8](repeating: 0x20, count: 40) + Array("] /Contents ".utf8)
        let contentsAt = signature.count
        signature += [0x3C] + [UInt8](repeating: 0x30, count: Self.contentsCapacity * 2) + [0x3E]
        var extra = PDFDictionary([("M", .string(Array(PDFDate.string(options.signingTime).utf8)))])
        if let reason = options.reason { extra["Reason"] = PDFValue.text(reason) }
        if let location = options.location { extra["Location"] = PDFValue.text(location) }
        var tail: [UInt8] = []
        extra.write(into: &tail)
        signature += Array(tail.dropFirst(2)) // "<<" already written; the rest closes it
        updates.append((signatureNumber, 0, signature))

        // Assemble the update: the objects, a cross-reference section and the trailer. Offsets count from the
        // file's start, so the original's length comes first.
        var out: [UInt8] = []
        if let last = original.last, last != 0x0A, last != 0x0D { out.append(0x0A) }
        let base = original.count
        var offsets: [(number: Int, generation: Int, offset: Int)] = []
        var signatureValueAt = 0
        for item in updates {
            offsets.append((item.number, item.generation, base + out.count))
            out += Array("\(item.number) \(item.generation) obj\n".utf8)
            if item.number == signatureNumber { signatureValueAt = out.count }
            out += item.value + Array("\nendobj\n".utf8)
        }
        let xrefAt = base + out.count
        var trailer = PDFDictionary([("Size", .number(String(next))), ("Root", .reference(root.number, root.generation)),
                                     ("Prev", .number(String(file.lastXref)))])
        if let info = file.trailer["Info"] { trailer["Info"] = info }
        if let id = file.trailer["ID"] { trailer["ID"] = id }
        if let xrefStreamNumber {
            // Four-byte offsets: a file past 4 GiB is far beyond any upload limit, but is refused, not wrapped.
            guard xrefAt < 1 << 32 else { throw PDFParser.Malformed(description: "file too large for its cross-reference stream") }
            Self.appendXRefStream(number: xrefStreamNumber, entries: offsets + [(xrefStreamNumber, 0, xrefAt)], trailer: trailer, to: &out)
        } else {
            out += Array("xref\n".utf8)
            for entry in offsets.sorted(by: { $0.number < $1.number }) {
                out += Array("\(entry.number) 1\n".utf8)
                let offset = String(entry.offset), generation = String(entry.generation)
                out += Array((String(repeating: "0", count: max(0, 10 - offset.count)) + offset + " "
                    + String(repeating: "0", count: max(0, 5 - generation.count)) + generation + " n\r\n").utf8)
            }
            out += Array("trailer\n".utf8)
            trailer.write(into: &out)
        }
        out += Array("\nstartxref\n\(xrefAt)\n%%EOF\n".utf8)

        let contentsStart = signatureValueAt + contentsAt
        let contentsEnd = contentsStart + Self.contentsCapacity * 2 + 2
        let range = Array("0 \(base + contentsStart) \(base + contentsEnd) \(out.count - contentsEnd)".utf8)
        out.replaceSubrange((signatureValueAt + byteRangeAt)..<(signatureValueAt + byteRangeAt + range.count), with: range)
        self.original = original
        self.update = out
        contentsRange = contentsStart..<contentsEnd
    }

    /// A cross-reference stream (ISO 32000-1 §7.5.8) for the update's objects, itself among them, unfiltered:
    /// each entry a type byte 1, a four-byte offset and a two-byte generation.
    private static func appendXRefStream(number: Int, entries: [(number: Int, generation: Int, offset: Int)], trailer: PDFDictionary,
                                         to out: inout [UInt8]) {
        let sorted = entries.sorted { $0.number < $1.number }
        var data: [UInt8] = []
        for entry in sorted {
            data.append(1)
            for shift in stride(from: 24, through: 0, by: -8) { data.append(UInt8(truncatingIfNeeded: entry.offset >> shift)) }
            data += [UInt8(truncatingIfNeeded: entry.generation >> 8), UInt8(truncatingIfNeeded: entry.generation)]
        }
        var dictionary = trailer
        dictionary["Type"] = .name("XRef")
        dictionary["W"] = .array([.number("1"), .number("4"), .number("2")])
        dictionary["Index"] = .array(sorted.flatMap { [PDFValue.number(String($0.number)), .number("1")] })
        out += Array("\(number) 0 obj\n".utf8) + dictionary.stream(with: data) + Array("\nendobj".utf8)
    }

    /// The page's visible box (its crop box, else its media box, perhaps inherited), A4 when it has none.
    private static func pageBox(_ page: PDFDictionary, in file: PDFFile) throws -> [Double] {
        var node: PDFDictionary? = page
        for _ in 0..<PDFParser.maxDepth {
            guard let current = node else { break }
            for key in ["CropBox", "MediaBox"] {
                if let box = try file.resolve(current[key])?.array?.compactMap({ value -> Double? in
                    if case .number(let text) = value { Double(text) } else { nil }
                }), box.count == 4, box.allSatisfy({ $0.isFinite && abs($0) < 100_000 }), box[2] > box[0], box[3] > box[1] {
                    return box
                }
            }
            node = try file.resolve(current["Parent"])?.dictionary
        }
        return [0, 0, 595, 842]
    }

    /// The document's last page: its number, generation and dictionary.
    private static func lastPage(of catalog: PDFDictionary, in file: PDFFile) throws
        -> (number: Int, generation: Int, dictionary: PDFDictionary) {
        guard var reference = catalog["Pages"]?.reference else { throw PDFParser.Malformed(description: "no pages") }
        for _ in 0..<PDFParser.maxDepth {
            guard let node = try file.object(reference.number).dictionary else { break }
            if node["Type"]?.nameValue == "Page" { return (reference.number, reference.generation, node) }
            guard let kids = try file.resolve(node["Kids"])?.array, let last = kids.last?.reference else { break }
            reference = last
        }
        throw PDFParser.Malformed(description: "no page")
    }
}

/// PDF dates (ISO 32000-1 §7.9.4) in Vietnam time: `D:20261201183000+07'00'`.
enum PDFDate {
    static func string(_ date: Date) -> String {
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: 7 * 3600) ?? .gmt
        let c = calendar.dateComponents([.year, .month, .day, .hour, .minute, .second], from: date)
        func two(_ value: Int?) -> String { String(format: "%02d", value ?? 0) }
        return "D:\(String(format: "%04d", c.year ?? 1970))\(two(c.month))\(two(c.day))\(two(c.hour))\(two(c.minute))\(two(c.second))+07'00'"
    }

    /// Parses `D:YYYYMMDDHHmmSS` with an optional `Z` or `±HH'mm'` offset (missing parts default).
    static func date(_ text: String) -> Date? {
        var s = Substring(text)
        if s.hasPrefix("D:") { s = s.dropFirst(2) }
        let digits = s.prefix { $0.isASCII && $0.isNumber }
        guard digits.count >= 4 else { return nil }
        func part(_ from: Int, _ length: Int, _ fallback: Int) -> Int {
            guard digits.count >= from + length else { return fallback }
            let start = digits.index(digits.startIndex, offsetBy: from)
            return Int(digits[start..<digits.index(start, offsetBy: length)]) ?? fallback
        }
        var offset = 0
        let rest = s.dropFirst(digits.count)
        if let sign = rest.first, sign == "+" || sign == "-" {
            let numbers = rest.dropFirst().split(whereSeparator: { $0 == "'" }).compactMap { Int($0.prefix(2)) }
            offset = ((numbers.first ?? 0) * 3600 + (numbers.dropFirst().first ?? 0) * 60) * (sign == "-" ? -1 : 1)
        }
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = TimeZone(secondsFromGMT: offset) ?? .gmt
        return calendar.date(from: DateComponents(year: part(0, 4, 1970), month: part(4, 2, 1), day: part(6, 2, 1),
                                                  hour: part(8, 2, 0), minute: part(10, 2, 0), second: part(12, 2, 0)))
    }
}
