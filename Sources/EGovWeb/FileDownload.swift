import EGovCore
import Foundation
import Vapor

/// A file sent to be saved (a dossier's attachment, a CSV export), named for every browser.
public enum FileDownload {
    public static func response(_ body: Response.Body, name: String, contentType: String) -> Response {
        var headers = HTTPHeaders()
        headers.replaceOrAdd(name: .contentType, value: contentType)
        headers.replaceOrAdd(name: .contentDisposition, value: disposition(name))
        return Response(status: .ok, headers: headers, body: body)
    }

    /// RFC 6266: an ASCII fallback and the UTF-8 name, for Vietnamese file names.
    static func disposition(_ name: String) -> String {
        let ascii = String(SearchText.fold(name).map { $0.isASCII && $0 != "\"" && $0 != "\\" && !$0.isNewline ? $0 : "_" })
        let encoded = name.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ascii
        return "attachment; filename=\"\(ascii)\"; filename*=UTF-8''\(encoded)"
    }
}
