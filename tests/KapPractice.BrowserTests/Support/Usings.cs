global using KapPractice.Tests.Support;
