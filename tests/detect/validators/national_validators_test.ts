import { assert, assertEquals } from "../../assert.ts";
import { allSame, digitsOf, weightedSum } from "../../../src/detect/validators/_digits.ts";
import { usSsnValid } from "../../../src/detect/validators/us_ssn.ts";
import {
  krRrnBirthDateValid,
  krRrnChecksumValid,
  krRrnValid,
} from "../../../src/detect/validators/kr_rrn.ts";
import { frNirValid } from "../../../src/detect/validators/fr_nir.ts";
import { esDniValid, esNieValid } from "../../../src/detect/validators/es_dni.ts";
import { itCodiceFiscaleValid } from "../../../src/detect/validators/it_codice_fiscale.ts";
import { deSteuerIdValid, mod1110CheckDigit } from "../../../src/detect/validators/de_steuer_id.ts";
import { nlBsnValid } from "../../../src/detect/validators/nl_bsn.ts";
import { verhoeffCheckDigit, verhoeffValid } from "../../../src/detect/validators/verhoeff.ts";
import { inAadhaarValid } from "../../../src/detect/validators/in_aadhaar.ts";
import { sgNricValid } from "../../../src/detect/validators/sg_nric.ts";
import { jpMyNumberValid } from "../../../src/detect/validators/jp_my_number.ts";
import { brCpfValid } from "../../../src/detect/validators/br_cpf.ts";
import { ukNinoValid } from "../../../src/detect/validators/uk_nino.ts";
import { caSinValid } from "../../../src/detect/validators/ca_sin.ts";

function accepts(check: (v: string) => boolean, values: readonly string[]): void {
  for (const v of values) assert(check(v), `expected ${JSON.stringify(v)} to pass`);
}

function rejects(check: (v: string) => boolean, values: readonly string[]): void {
  for (const v of values) assert(!check(v), `expected ${JSON.stringify(v)} to fail`);
}

Deno.test("digit helpers read separated digits and refuse other characters", () => {
  assertEquals(digitsOf("1.2-3 4"), [1, 2, 3, 4]);
  assertEquals(digitsOf("12/3"), null);
  assertEquals(digitsOf("1-2", ""), null);
  assert(allSame([3, 3, 3]) && !allSame([3, 4]));
  assertEquals(weightedSum([1, 2, 3, 4], [2, 2]), 6);
});

Deno.test("SSNs pass the issuance rules unless area, group or serial is never issued", () => {
  accepts(usSsnValid, ["536-22-8146", "412715093", "287 65 4321", "001-01-0001", "899-99-9999"]);
  rejects(usSsnValid, [
    "000-22-8146",
    "666-22-8146",
    "900-22-8146",
    "999-99-9998",
    "536-00-8146",
    "536-22-0000",
    "53622814",
    "5362281460",
    "536-22-814a",
  ]);
});

Deno.test("well-known fake and placeholder SSNs are rejected", () => {
  rejects(usSsnValid, ["078-05-1120", "219-09-9999", "123-45-6789", "111-11-1111"]);
});

Deno.test("RRN check digit follows the 2..9,2..5 weights mod 11", () => {
  accepts(krRrnValid, [
    "900101-1234568",
    "850315-2154329",
    "921124-1673215",
    "030708-4123453",
    "8812302548711",
    "010203-3234560",
  ]);
  rejects(krRrnValid, ["900101-1234567", "850315-2154320", "030708-4123454"]);
  assert(krRrnChecksumValid("900101-1234568"));
  assert(!krRrnChecksumValid("900101-123456"));
});

Deno.test("RRN birth dates must exist for the century the seventh digit names", () => {
  const today = new Date(Date.UTC(2025, 5, 1));
  // 1900s (1, 2, 5, 6), 2000s (3, 4, 7, 8), 1800s (9, 0)
  for (const v of ["000229-3000000", "960229-1000000", "850315-6000000", "991231-9000000"]) {
    assert(krRrnBirthDateValid(v, today), v);
  }
  rejects((v) => krRrnBirthDateValid(v, today), [
    "000229-1000000", // 1900 was not a leap year
    "010229-3000000",
    "851301-1000000",
    "850001-1000000",
    "850100-1000000",
    "850431-1000000",
    "250602-3000000", // after `today`
    "990101-4000000",
    "85031-21543290",
  ]);
});

Deno.test("NIR key is 97 minus the number mod 97, with Corsica read as 19 and 18", () => {
  accepts(frNirValid, [
    "1 85 05 78 006 084 91",
    "2 55 08 14 168 025 38",
    "292037511234589",
    "1 81 12 2A 004 012 87",
    "18112 2a 004 012 87",
    "2 70 01 69 123 456 80",
    "1 99 08 99 452 003 40",
  ]);
  rejects(frNirValid, [
    "1 85 05 78 006 084 36",
    "3 85 05 78 006 084 91",
    "1 85 13 78 006 084 25",
    "1 85 05 78 006 000 45",
    "1 81 12 2C 004 012 87",
    "1 81 12 20 004 012 87",
    "18505780060849",
  ]);
});

Deno.test("DNI and NIE letters are TRWAGMYFPDXBNJZSQVHLCKE[n mod 23]", () => {
  accepts(esDniValid, ["12345678Z", "48213576X", "73029148-P", "51.842.093-R", "48213576x"]);
  rejects(esDniValid, ["48213576A", "00000000T", "11111111H", "4821357X", "482135761X"]);
  accepts(esNieValid, ["X1234567L", "X4829135D", "Y-2738461-A", "Z9163702R", "z9163702r"]);
  rejects(esNieValid, ["X4829135E", "W4829135D", "X482913D", "Y27384610A"]);
});

Deno.test("codice fiscale check character follows the odd/even tables", () => {
  accepts(itCodiceFiscaleValid, [
    "RSSMRA85T10A562S",
    "BNCGLI92E55F205F",
    "VRDLCU78C21H501S",
    "frrnna01a41l219m",
  ]);
  rejects(itCodiceFiscaleValid, [
    "RSSMRA85T10A562T",
    "RSSMRA85X10A562S",
    "RSSMRA85T32A562Y",
    "RSSMRA85B30A562G",
    "RSSMRA85T10N562S",
    "RSSMRA85T10A562",
  ]);
});

Deno.test("codice fiscale omocodia replaces digits from the right only", () => {
  accepts(itCodiceFiscaleValid, ["RSSMRA85T10A56NH", "RSSMRA85T10A5RNS"]);
  rejects(itCodiceFiscaleValid, ["RSSMRA8RT10A562E"]);
});

Deno.test("Steuer-ID needs the MOD 11,10 check digit and the digit-repeat rule", () => {
  assertEquals(mod1110CheckDigit([8, 6, 0, 9, 5, 7, 4, 2, 7, 1]), 9);
  accepts(deSteuerIdValid, ["86095742719", "65401209871", "35 708 612 390", "65401009879"]);
  rejects(deSteuerIdValid, [
    "86095742718",
    "05401209879", // leading zero
    "47852013960", // ten distinct digits: nothing repeats
    "65400019874", // a digit three times in a row
    "8609574271",
  ]);
});

Deno.test("BSN passes the 11-proof and may drop its leading zero", () => {
  accepts(nlBsnValid, ["123456782", "1234.56.782", "607812345", "045123780", "45123780"]);
  rejects(nlBsnValid, ["123456783", "000000000", "00000000", "1234567", "1234567890"]);
});

Deno.test("Verhoeff check digits match the published 236 → 3 and 12345 → 1 vectors", () => {
  assertEquals(verhoeffCheckDigit([2, 3, 6]), 3);
  assertEquals(verhoeffCheckDigit([1, 2, 3, 4, 5]), 1);
  assert(verhoeffValid([2, 3, 6, 3]) && verhoeffValid([1, 2, 3, 4, 5, 1]));
  assert(!verhoeffValid([2, 3, 6, 4]) && !verhoeffValid([2, 6, 3, 3]) && !verhoeffValid([3]));
});

Deno.test("Aadhaar starts with 2-9 and ends in its Verhoeff digit", () => {
  accepts(inAadhaarValid, ["2345 6789 0124", "491827364507", "7392-0418-5620"]);
  rejects(inAadhaarValid, ["2345 6789 0123", "191827364507", "091827364507", "22222222222"]);
});

Deno.test("NRIC letters follow the S/T, F/G and M tables", () => {
  accepts(sgNricValid, [
    "S1234567D",
    "S8812345Z",
    "T0412873C",
    "F1234567N",
    "G5839201X",
    "M1234567K",
    "M4821037J",
    "s8812345z",
  ]);
  rejects(sgNricValid, ["S1234567A", "A1234567D", "S123456D", "S12345678D", "M1234567B"]);
});

Deno.test("NRIC M series differs from F/G only where the remainder is 8", () => {
  assert(sgNricValid("M0000008J") && !sgNricValid("M0000008M"));
  assert(sgNricValid("F0000004M") && !sgNricValid("F0000004J"));
});

Deno.test("My Number check digit uses weights 6,5,4,3,2,7,6,5,4,3,2", () => {
  accepts(jpMyNumberValid, ["123456789018", "4829 1037 5622", "2048-1736-5943"]);
  rejects(jpMyNumberValid, ["123456789019", "4829 1037 5623", "12345678901", "4829/1037/5622"]);
});

Deno.test("CPF has two mod-11 check digits and no repeated-digit numbers", () => {
  accepts(brCpfValid, ["123.456.789-09", "529.982.247-25", "39053344705", "98765432100"]);
  rejects(brCpfValid, ["529.982.247-26", "529.982.247-15", "111.111.111-11", "00000000000"]);
});

Deno.test("NINO prefixes follow HMRC's allocation rules", () => {
  accepts(ukNinoValid, ["AB123456C", "JG 10 37 59 A", "PZ876543D", "OA123456B"]);
  rejects(ukNinoValid, [
    "QQ123456C",
    "DA123456A",
    "AO123456A",
    "AD123456A",
    "GB123456A",
    "NK123456A",
    "TN123456A",
    "ZZ123456A",
    "AB123456E",
    "AB12345C",
    "ab123456c",
  ]);
});

Deno.test("SIN passes Luhn and never starts with 0 or 8", () => {
  accepts(caSinValid, ["130 692 544", "276-148-954", "519382048", "902103456"]);
  rejects(caSinValid, ["130 692 545", "046 454 286", "838 291 607", "13069254", "130/692/544"]);
});
