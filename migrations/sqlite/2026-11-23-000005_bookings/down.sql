DROP TABLE booking_devices;
DROP TABLE booking_lines;
DROP TABLE bookings;
