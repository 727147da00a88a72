import Foundation

/// The rules every module's uploads follow: a name a person can be shown, its extension, the first bytes of the
/// common document types (so a renamed executable is not accepted as a PDF) and the type a file is served with.
public enum FileTypes {
    public static func matches(ext: String, data: Data) -> Bool {
        let head = [UInt8](data.prefix(8))
        func starts(_ bytes: [UInt8]) -> Bool { head.count >= bytes.count && Array(head.prefix(bytes.count)) == bytes }
        switch ext {
        case "pdf": return starts([0x25, 0x50, 0x44, 0x46]) // %PDF
        case "png": return starts([0x89, 0x50, 0x4E, 0x47])
        case "jpg", "jpeg": return starts([0xFF, 0xD8, 0xFF])
        case "tif", "tiff": return starts([0x49, 0x49, 0x2A, 0x00]) || starts([0x4D, 0x4D, 0x00, 0x2A]) // little- or big-endian
        case "docx", "xlsx", "odt", "zip": return starts([0x50, 0x4B, 0x03, 0x04]) // ZIP container
        case "doc", "xls": return starts([0xD0, 0xCF, 0x11, 0xE0]) // OLE compound file
        default: return true
        }
    }

    public static func contentType(ext: String) -> String? {
        switch ext {
        case "pdf": "application/pdf"
        case "png": "image/png"
        case "jpg", "jpeg": "image/jpeg"
        case "tif", "tiff": "image/tiff"
        case "doc": "application/msword"
        case "docx": "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
        case "xls": "application/vnd.ms-excel"
        case "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        case "odt": "application/vnd.oasis.opendocument.text"
        case "xml": "application/xml"
        default: nil
        }
    }

    /// The extension of `name`, lower-case ("" when it has none).
    public static func fileExtension(_ name: String) -> String {
        guard let dot = name.lastIndex(of: "."), dot < name.index(before: name.endIndex) else { return "" }
        return name[name.index(after: dot)...].lowercased()
    }

    /// A file name a person can be shown and a download can carry: not empty, no path, no control characters.
    public static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && name.count <= 200 && !name.contains("/") && !name.contains("\\")
            && !name.unicodeScalars.contains { $0.value < 0x20 || $0.value == 0x7F }
    }
}
