import EGovCore
import Testing

/// Decree 30/2020: a document's number and notation, and its urgency in edXML.
@Suite("Document number and notation")
struct DocumentNotationTests {
    @Test("a typed document is number/type-issuer, a công văn number/issuer-drafting unit; below 10 with a leading zero")
    func format() throws {
        #expect(try DocumentNotation(number: 15, typeAbbreviation: "QĐ", issuer: "UBND", draftingUnit: nil).text == "15/QĐ-UBND")
        #expect(try DocumentNotation(number: 15, typeAbbreviation: nil, issuer: "UBND", draftingUnit: "VP").text == "15/UBND-VP")
        #expect(try DocumentNotation(number: 5, typeAbbreviation: "QyĐ", issuer: "SNV", draftingUnit: nil).text == "05/QyĐ-SNV")
        #expect(try DocumentNotation(number: 5, typeAbbreviation: "TB", issuer: "SNV", draftingUnit: nil, leadingZero: false).text == "5/TB-SNV")
        // The drafting unit is only for types without an abbreviation; edXML's CodeNotation leaves out the number.
        let typed = try DocumentNotation(number: 7816, typeAbbreviation: "CTr", issuer: "VPCP", draftingUnit: "TTĐT")
        #expect(typed.text == "7816/CTr-VPCP" && typed.code == "CTr-VPCP" && typed.number == 7816)
        // Spaces and slashes cannot break the notation's shape.
        #expect(try DocumentNotation(number: 12, typeAbbreviation: " KH ", issuer: "UB ND/", draftingUnit: nil).text == "12/KH-UBND")
    }

    @Test("a number out of range, a missing issuer and a công văn without its drafting unit are refused")
    func refusals() {
        #expect(throws: ValidationError.self) { try DocumentNotation(number: 0, typeAbbreviation: "QĐ", issuer: "UBND", draftingUnit: nil) }
        #expect(throws: ValidationError.self) {
            try DocumentNotation(number: DocumentNotation.maxNumber + 1, typeAbbreviation: "QĐ", issuer: "UBND", draftingUnit: nil)
        }
        #expect(throws: ValidationError.self) { try DocumentNotation(number: 3, typeAbbreviation: "QĐ", issuer: " ", draftingUnit: nil) }
        #expect(throws: ValidationError.self) { try DocumentNotation(number: 3, typeAbbreviation: nil, issuer: "UBND", draftingUnit: nil) }
        #expect(throws: ValidationError.self) { try DocumentNotation(number: 3, typeAbbreviation: "", issuer: "UBND", draftingUnit: "-") }
    }

    @Test("another agency's notation is read back, with or without “Số:”; what is not one is not")
    func parsing() throws {
        let read = try #require(DocumentNotation(parsing: "Số: 05/QĐ-UBND"))
        #expect(read.number == 5 && read.code == "QĐ-UBND" && read.text == "05/QĐ-UBND")
        #expect(DocumentNotation(parsing: "7816/VPCP-TTĐT")?.code == "VPCP-TTĐT")
        for text in ["", "QĐ-UBND", "0/QĐ-UBND", "-3/QĐ-UBND", "12/", "12/QĐ UBND", "99999999999999999999/QĐ", "12/QĐ/UBND"] {
            #expect(DocumentNotation(parsing: text) == nil, "\(text)")
        }
    }

    @Test("urgency maps to edXML's Priority both ways; an unknown priority is not guessed")
    func urgency() {
        for urgency in DocumentUrgency.allCases { #expect(DocumentUrgency(edXMLPriority: urgency.edXMLPriority) == urgency) }
        #expect(DocumentUrgency(edXMLPriority: 4) == .flash)
        #expect(DocumentUrgency(edXMLPriority: 9) == nil && DocumentUrgency(edXMLPriority: -1) == nil)
        #expect(DocumentUrgency.flash.label.vi == "Hỏa tốc")
    }
}
