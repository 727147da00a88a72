@testable import EGovCore
import Testing

@Suite("Electronic identifier codes")
struct ElectronicCodeTests {
    @Test("valid codes of the ddd.dd.dd.Ldd form are accepted",
          arguments: ["000.00.00.H41", "000.00.00.G22", "001.00.31.H99", "000.01.31.H98", "999.99.99.Z00"])
    func valid(code: String) throws {
        #expect(try ElectronicCode(code).value == code)
    }

    @Test("malformed codes are refused with a Vietnamese message",
          arguments: ["", "000.00.00", "000.00.00.h41", "000.0X.31.H98", "0000.00.00.H41", "000.00.00.H4", "000.00.00.41H", " 000.00.00.H41"])
    func invalid(code: String) {
        let error = #expect(throws: ValidationError.self) { try ElectronicCode(code) }
        #expect(error?.message.vi.contains("không đúng định dạng") == true)
        #expect(error?.field == "code")
    }
}

@Suite("Personal identification numbers")
struct PersonalIdNumberTests {
    @Test("a man born in 1990 registered in Hà Nội")
    func male1990() throws {
        let number = try PersonalIdNumber("001090012345", currentYear: 2026)
        #expect(number.birthYear == 1990)
        #expect(!number.isFemale)
    }

    @Test("a woman born in 2005 registered in Hồ Chí Minh City")
    func female2005() throws {
        let number = try PersonalIdNumber("079305000111", currentYear: 2026)
        #expect(number.birthYear == 2005)
        #expect(number.isFemale)
    }

    @Test("wrong length, letters, unknown province or a future birth year are refused",
          arguments: ["12345", "00109001234A", "000090012345", "003090012345", "001299012345", "0010900123456"])
    func invalid(raw: String) {
        #expect(throws: ValidationError.self) { try PersonalIdNumber(raw, currentYear: 2026) }
    }
}

@Suite("Contact details")
struct ContactDetailsTests {
    @Test("phones are normalised to 10 digits")
    func phones() throws {
        #expect(try ContactDetails.normalizedPhone("0912 345 678") == "0912345678")
        #expect(try ContactDetails.normalizedPhone("+84912345678") == "0912345678")
        #expect(try ContactDetails.normalizedPhone("091.234.5678") == "0912345678")
        #expect(throws: ValidationError.self) { try ContactDetails.normalizedPhone("12345") }
        #expect(throws: ValidationError.self) { try ContactDetails.normalizedPhone("1912345678") }
    }

    @Test("e-mails are lower-cased and checked for a domain")
    func emails() throws {
        #expect(try ContactDetails.normalizedEmail(" An.Nguyen@Example.VN ") == "an.nguyen@example.vn")
        for bad in ["a@", "@b.vn", "a b@c.vn", "a@b", "a@.vn"] {
            #expect(throws: ValidationError.self) { try ContactDetails.normalizedEmail(bad) }
        }
    }

    @Test("passwords need 8 characters with letters and digits")
    func passwords() throws {
        try ContactDetails.checkPassword("matkhau123")
        for bad in ["short1", "onlyletters", "1234567890"] {
            #expect(throws: ValidationError.self) { try ContactDetails.checkPassword(bad) }
        }
    }

    @Test("usernames are lower-case ASCII")
    func usernames() throws {
        try ContactDetails.checkUsername("lanhdao.snv")
        for bad in ["ab", "Lanhdao", "lãnh.đạo", "a b c"] {
            #expect(throws: ValidationError.self) { try ContactDetails.checkUsername(bad) }
        }
    }
}

@Suite("Typed identifiers")
struct TypedIdentifierTests {
    @Test("an identifier encodes as its bare UUID")
    func codable() throws {
        let id = UnitID()
        let data = try JSONEncoder().encode(id)
        #expect(String(decoding: data, as: UTF8.self) == "\"\(id.rawValue.uuidString)\"")
        #expect(try JSONDecoder().decode(UnitID.self, from: data) == id)
    }
}

import Foundation

@Suite("Accent-insensitive search text")
struct SearchTextTests {
    @Test("Vietnamese folds to plain lower-case letters")
    func folding() {
        #expect(SearchText.fold("Đăng ký khai sinh") == "dang ky khai sinh")
        #expect(SearchText.fold("  Chứng thực   bản sao – từ bản chính ") == "chung thuc ban sao tu ban chinh")
        #expect(SearchText.fold("Giấy phép XÂY DỰNG") == "giay phep xay dung")
        #expect(SearchText.terms("  khai,  SINH ") == ["khai", "sinh"])
        #expect(SearchText.fold("1.001193 Đăng ký") == "1.001193 dang ky")
    }
}
