"""The finance desk: refunds, credit notes, journal lines, cash shifts, totals and files of a period."""
