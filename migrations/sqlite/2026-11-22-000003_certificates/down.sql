DROP TABLE certificate_numbers;
DROP TABLE certificates;
