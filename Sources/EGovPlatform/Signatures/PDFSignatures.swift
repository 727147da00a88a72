import Foundation

/// The signatures a PDF holds, as found in its signature dictionaries (`/ByteRange` and `/Contents`), in the
/// order they were added. Whether each is intact is decided here; who signed and whether the certificate is
/// trusted is `SignatureService`'s part.
struct PDFSignatures {
    struct Found {
        let subFilter: String?
        /// `/M`, the time the signer's tool claimed.
        let claimedTime: Date?
        /// `/Reason`, as the signer wrote it.
        let reason: String?
        /// The signed byte ranges are well formed and `/Contents` is exactly what lies between them.
        let wellFormed: Bool
        /// The signature covers the file up to its end: nothing was appended after it.
        let coversWholeFile: Bool
        let chunks: [ArraySlice<UInt8>]
        let cms: CMSSignature?
        let problem: String?
    }

    let found: [Found]

    init(_ bytes: [UInt8]) throws {
        let file = try PDFFile(bytes)
        var found: [(end: Int, item: Found)] = []
        // Signature dictionaries are plain objects: their /Contents must lie in the file as written.
        for number in file.objects.keys.sorted() {
            guard case .direct? = file.objects[number], let dictionary = try? file.object(number).dictionary, let range = dictionary["ByteRange"]?.array,
                  dictionary["Contents"] != nil, dictionary["Type"].map({ $0.nameValue == "Sig" || $0.nameValue == "DocTimeStamp" }) ?? true
            else { continue }
            found.append(Self.read(dictionary, range: range.compactMap(\.integer), in: bytes))
        }
        self.found = found.sorted { $0.end < $1.end }.map(\.item)
    }

    private static func read(_ dictionary: PDFDictionary, range: [Int], in bytes: [UInt8]) -> (end: Int, item: Found) {
        let subFilter = dictionary["SubFilter"]?.nameValue
        let claimed = dictionary["M"]?.text.flatMap(PDFDate.date)
        let reason = dictionary["Reason"]?.text
        func broken(_ problem: String) -> (Int, Found) {
            (0, Found(subFilter: subFilter, claimedTime: claimed, reason: reason, wellFormed: false, coversWholeFile: false, chunks: [], cms: nil, problem: problem))
        }
        guard range.count == 4 else { return broken("ByteRange is not four numbers") }
        let (a, b, c, d) = (range[0], range[1], range[2], range[3])
        // Each bound is checked before it is used in arithmetic: the numbers come from the file.
        guard a == 0, b > 1, b < bytes.count, c > b, c <= bytes.count, c - b >= 2, d >= 0, d <= bytes.count - c,
              bytes[b] == 0x3C, bytes[c - 1] == 0x3E else { return broken("ByteRange does not match the file") }
        guard let contents = [UInt8](hexDigits: bytes[(b + 1)..<(c - 1)], skipping: PDFParser.isWhitespace) else {
            return broken("Contents is not hexadecimal")
        }
        let cms: CMSSignature?
        var problem: String?
        do { cms = try CMSSignature(contents) } catch { cms = nil; problem = "\(error)" }
        return (c + d, Found(subFilter: subFilter, claimedTime: claimed, reason: reason, wellFormed: true, coversWholeFile: c + d == bytes.count,
                             chunks: [bytes[0..<b], bytes[c..<(c + d)]], cms: cms, problem: problem))
    }
}
